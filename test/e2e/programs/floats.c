/* Floating point: math.h, %.17g round trips, float vs double, NaN/inf/-0 via isnan/isinf/signbit. */
#include <stdio.h>
#include <math.h>
#include <float.h>
#include <stdint.h>
#include <string.h>

/* volatile inputs keep clang from folding everything at compile time */
static volatile double vin[] = {0.0, -0.0, 0.5, 1.0, 2.0, 3.0, -7.25, 1e-300, 1e300, 123456.789, 0.1, -2.5};
static volatile float fin[] = {0.1f, 1.5f, -3.75f, 16777217.0f, 1e-40f, 3.4e38f};

static const char *cls(double x) {
  if (isnan(x)) return "nan";
  if (isinf(x)) return x > 0 ? "+inf" : "-inf";
  if (x == 0) return signbit(x) ? "-0" : "+0";
  return fpclassify(x) == FP_SUBNORMAL ? "subnormal" : "normal";
}

static uint64_t bits(double d) { uint64_t u; memcpy(&u, &d, 8); return u; }

int main(void) {
  int n = sizeof vin / sizeof vin[0];
  double acc = 0;
  for (int i = 0; i < n; i++) {
    double x = vin[i];
    double a = fabs(x);
    printf("x=%.17g sqrt=%.17g sin=%.17g cos=%.17g\n", x, sqrt(a), sin(x), cos(x));
    printf("   exp=%.17g log=%.17g pow=%.17g fmod=%.17g\n", exp(x > 700 ? 700 : x), log(a), pow(a, 1.5), fmod(x, 0.75));
    printf("   floor=%g ceil=%g round=%g trunc=%g atan2=%.17g cls=%s\n", floor(x), ceil(x), round(x), trunc(x), atan2(x, 2.0), cls(x));
    acc += sqrt(a) * 0.5 + sin(x);
  }
  printf("acc=%.17g\n", acc);

  double inf = vin[8] * vin[8], ninf = -inf, nan = inf - inf, z = vin[0], nz = vin[1];
  printf("inf:%s ninf:%s nan:%s isnan(nan)=%d isinf(ninf)=%d\n", cls(inf), cls(ninf), cls(nan), isnan(nan) != 0, isinf(ninf) != 0);
  printf("nan==nan:%d nan<1:%d nan>1:%d nan!=nan:%d\n", nan == nan, nan < 1, nan > 1, nan != nan);
  printf("1/+0:%s 1/-0:%s -0==+0:%d sqrt(-1):%s log(0):%s\n", cls(1 / z), cls(1 / nz), nz == z, cls(sqrt(vin[6])), cls(log(z)));
  printf("fmin(nan,1)=%g fmax(2,nan)=%g copysign(3,-0)=%g\n", fmin(nan, 1.0), fmax(2.0, nan), copysign(3.0, nz));
  printf("tiny*tiny:%s big*big:%s min subnormal:%s\n", cls(vin[7] * vin[7]), cls(vin[8] * 10), cls(DBL_TRUE_MIN * vin[3]));

  float fa = 0; double da = 0;
  for (int i = 0; i < 1000; i++) { fa += fin[0]; da += fin[0]; }
  printf("float sum=%.9g double sum=%.17g\n", fa, da);
  for (int i = 0; i < 6; i++) {
    float f = fin[i];
    printf("f=%.9g f*f=%.9g sqrtf=%.9g (double)f=%.17g cls=%s\n", f, f * f, sqrtf(fabsf(f)), (double)f, cls(f * f));
  }
  printf("sinf=%.9g expf=%.9g powf=%.9g fmodf=%.9g\n", sinf(fin[1]), expf(fin[2]), powf(fin[1], 3.5f), fmodf(fin[2], fin[1]));
  printf("(float)0.1=%.17g rounding 16777217->%.1f\n", (double)(float)vin[10], (double)fin[3]);

  /* conversions */
  volatile double cv[] = {2.9, -2.9, 1e10, -1e10, 4294967295.5, 0.49999999999999994};
  for (int i = 0; i < 6; i++) {
    double d = cv[i];
    int32_t si = (d > -2147483649.0 && d < 2147483648.0) ? (int32_t)d : -1;
    int64_t sl = (int64_t)d;
    uint32_t ui = (d >= 0 && d < 4294967296.0) ? (uint32_t)d : 7u;
    printf("d=%.17g i32=%d i64=%lld u32=%u llrint=%lld bits=%016llx\n", d, si, (long long)sl, ui, llrint(d), (unsigned long long)bits(d));
  }
  printf("ll->d: %.17g %.17g u64->f: %.9g\n", (double)(int64_t)0x7fffffffffffffffLL, (double)(uint64_t)0xfffffffffffff801ULL, (float)(uint64_t)0xffffffffffffffffULL);

  /* Newton iteration and a series: accumulate rounding the same way everywhere */
  double r = 1;
  for (int i = 0; i < 30; i++) r = r - (r * r - 2) / (2 * r);
  double pi = 0;
  for (int k = 0; k < 100000; k++) pi += (k % 2 ? -4.0 : 4.0) / (2 * k + 1);
  printf("sqrt2=%.17g pi~%.17g hypot=%.17g cbrt=%.17g\n", r, pi, hypot(3, 4), cbrt(vin[9]));
  return (int)(fmod(fabs(acc) * 1000, 100)) + 1;
}
