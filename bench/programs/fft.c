/* Iterative radix-2 complex FFT of 4096 points: forward, pointwise square (a cyclic
 * convolution), inverse, renormalise; one round trip per unit of size. Twiddle factors come
 * from a Taylor-series sine/cosine here (no libm), so results are identical on every engine. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOGN 12
#define N (1 << LOGN)
#define PI 3.14159265358979323846

static double my_sin(double x) { /* |x| <= pi: reduce to [-pi/2, pi/2] then Taylor */
  if (x > PI / 2) x = PI - x;
  if (x < -PI / 2) x = -PI - x;
  double x2 = x * x, term = x, sum = x;
  for (int k = 1; k < 12; k++) {
    term *= -x2 / ((2 * k) * (2 * k + 1));
    sum += term;
  }
  return sum;
}
static double my_cos(double x) { return my_sin(x + PI / 2 > PI ? x + PI / 2 - 2 * PI : x + PI / 2); }

static double re[N], im[N], wr[N / 2], wi[N / 2];

static void fft(int inverse) {
  for (int i = 1, j = 0; i < N; i++) {
    int bit = N >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      double t = re[i]; re[i] = re[j]; re[j] = t;
      t = im[i]; im[i] = im[j]; im[j] = t;
    }
  }
  for (int len = 2; len <= N; len <<= 1) {
    int half = len >> 1, stride = N / len;
    for (int i = 0; i < N; i += len)
      for (int k = 0; k < half; k++) {
        double cr = wr[k * stride], ci = inverse ? -wi[k * stride] : wi[k * stride];
        int a = i + k, b = a + half;
        double tr = re[b] * cr - im[b] * ci, ti = re[b] * ci + im[b] * cr;
        re[b] = re[a] - tr; im[b] = im[a] - ti;
        re[a] += tr; im[a] += ti;
      }
  }
}

int main(int argc, char **argv) {
  int rounds = argc > 1 ? atoi(argv[1]) : 2000;
  for (int k = 0; k < N / 2; k++) {
    double ang = -2.0 * PI * k / N;
    wr[k] = my_cos(ang);
    wi[k] = my_sin(ang);
  }
  uint32_t s = 7;
  for (int i = 0; i < N; i++) {
    s = s * 1103515245u + 12345u;
    re[i] = (double)((s >> 16) & 0xff) / 256.0;
    im[i] = 0;
  }
  for (int r = 0; r < rounds; r++) {
    fft(0);
    for (int i = 0; i < N; i++) { /* square each bin */
      double a = re[i], b = im[i];
      re[i] = a * a - b * b;
      im[i] = 2 * a * b;
    }
    fft(1);
    double mx = 0;
    for (int i = 0; i < N; i++) {
      double v = re[i] < 0 ? -re[i] : re[i];
      if (v > mx) mx = v;
    }
    for (int i = 0; i < N; i++) { re[i] /= mx; im[i] = 0; }
  }
  double sum = 0;
  uint64_t h = 1469598103934665603ULL, bits;
  for (int i = 0; i < N; i++) {
    sum += re[i];
    memcpy(&bits, &re[i], 8);
    h = (h ^ bits) * 1099511628211ULL;
  }
  printf("fft rounds=%d sum=%.9f checksum=%016llx\n", rounds, sum, (unsigned long long)h);
  return 0;
}
