/* Spectral norm of the infinite matrix a(i,j) = 1/((i+j)(i+j+1)/2 + i + 1), truncated to
 * 500x500, by power iteration; one iteration (u -> A^T A u) per unit of size. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N 500

static double a(int i, int j) { return 1.0 / ((double)((i + j) * (i + j + 1) / 2 + i + 1)); }

static void mul_a(const double *v, double *out) {
  for (int i = 0; i < N; i++) {
    double s = 0;
    for (int j = 0; j < N; j++) s += a(i, j) * v[j];
    out[i] = s;
  }
}

static void mul_at(const double *v, double *out) {
  for (int i = 0; i < N; i++) {
    double s = 0;
    for (int j = 0; j < N; j++) s += a(j, i) * v[j];
    out[i] = s;
  }
}

int main(int argc, char **argv) {
  int iters = argc > 1 ? atoi(argv[1]) : 600;
  static double u[N], v[N], t[N];
  for (int i = 0; i < N; i++) u[i] = 1.0;
  for (int k = 0; k < iters; k++) {
    mul_a(u, t);
    mul_at(t, v);
    /* normalise so long runs stay finite; the ratio below is scale-free */
    double n2 = 0;
    for (int i = 0; i < N; i++) n2 += v[i] * v[i];
    double inv = 1.0 / sqrt(n2);
    for (int i = 0; i < N; i++) { u[i] = v[i] * inv; }
  }
  mul_a(u, t);
  mul_at(t, v);
  double uv = 0, uu = 0;
  for (int i = 0; i < N; i++) { uv += u[i] * v[i]; uu += u[i] * u[i]; }
  double norm = sqrt(uv / uu);
  uint64_t bits;
  memcpy(&bits, &norm, 8);
  printf("spectral iters=%d norm=%.12f checksum=%016llx\n", iters, norm, (unsigned long long)bits);
  return 0;
}
