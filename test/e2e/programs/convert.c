/* Conversions between integer and floating types at their edges, done the way C defines them. */
#include <stdio.h>
#include <stdint.h>
#include <inttypes.h>
#include <math.h>

static volatile double dv[] = {0.0, -0.0, 0.999999, -0.999999, 1.5, -1.5, 2147483647.0, 2147483647.9, -2147483648.0, -2147483648.9,
                               4294967295.0, 9007199254740993.0, 9.2233720368547748e18, -9.2233720368547758e18, 1.8446744073709550e19, 1e-310};
static volatile int64_t iv[] = {0, 1, -1, 9007199254740993LL, INT64_MAX, INT64_MIN, 0x7fffffff, -0x80000001LL, 16777217, 123456789012345LL};

/* Saturating conversion written in C; clang lowers these with range checks, never a trapping truncation. */
static int32_t sat_i32(double d) { if (isnan(d)) return 0; if (d <= -2147483648.0) return INT32_MIN; if (d >= 2147483647.0) return INT32_MAX; return (int32_t)d; }
static uint32_t sat_u32(double d) { if (!(d > 0)) return 0; if (d >= 4294967295.0) return UINT32_MAX; return (uint32_t)d; }
static int64_t sat_i64(double d) { if (isnan(d)) return 0; if (d <= -9223372036854775808.0) return INT64_MIN; if (d >= 9223372036854775808.0) return INT64_MAX; return (int64_t)d; }
static uint64_t sat_u64(double d) { if (!(d > 0)) return 0; if (d >= 18446744073709551616.0) return UINT64_MAX; return (uint64_t)d; }

int main(void) {
  for (unsigned i = 0; i < sizeof dv / sizeof dv[0]; i++) {
    double d = dv[i];
    float f = (float)d;
    printf("%-24.17g i32=%-11d u32=%-10u i64=%-20" PRId64 " u64=%-20" PRIu64 " f=%.9g fi=%d\n", d, sat_i32(d), sat_u32(d), sat_i64(d), sat_u64(d), f, sat_i32((double)f));
  }
  for (unsigned i = 0; i < sizeof iv / sizeof iv[0]; i++) {
    int64_t v = iv[i];
    printf("%-20" PRId64 " ->f64 %.17g ->f32 %.9g ->u64->f64 %.17g ->u64->f32 %.9g ->i32->f32 %.9g ->u32->f64 %.17g\n", v, (double)v, (double)(float)v,
           (double)(uint64_t)v, (double)(float)(uint64_t)v, (double)(float)(int32_t)v, (double)(uint32_t)v);
  }
  /* narrowing integer conversions and sign extension */
  for (unsigned i = 0; i < sizeof iv / sizeof iv[0]; i++) {
    int64_t v = iv[i] * 37 + 11;
    printf("%016" PRIx64 " i8=%d u8=%u i16=%d u16=%u i32=%d\n", (uint64_t)v, (int8_t)v, (uint8_t)v, (int16_t)v, (uint16_t)v, (int32_t)v);
  }
  /* float <-> double rounding and reinterpretation */
  volatile float fv = 16777216.0f;
  float g = fv + 1.0f, h = fv + 2.0f;
  double promoted = (double)fv + 1.0;
  printf("f+1=%.1f f+2=%.1f d+1=%.1f demote(0.1)=%.17g round-trip=%d\n", g, h, promoted, (double)(float)dv[4] / 15, (float)(double)fv == fv);
  printf("nearbyint: %g %g %g %g rint(2.5)=%g rint(3.5)=%g\n", nearbyint(0.5), nearbyint(-0.5), nearbyint(1.5), nearbyint(-2.5), rint(2.5), rint(3.5));
  printf("ldexp=%g frexp=%g modf=%g\n", ldexp(0.75, 10), ({ int e; frexp(1000.0, &e) + e; }), ({ double ip; modf(-3.75, &ip) + ip; }));
  return sat_i32(dv[7]) & 0x7f;
}
