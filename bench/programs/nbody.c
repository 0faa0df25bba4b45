/* N-body: 16 bodies with pseudo-random masses/positions/velocities under softened gravity,
 * leapfrog (kick-drift) integration; one time step per unit of size. Uses only + - * / sqrt,
 * so every engine must produce bit-identical results: the checksum hashes the final bits. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NB 16

typedef struct { double x, y, z, vx, vy, vz, m; } Body;

static uint32_t seed = 2463534242u;
static double rnd(void) {
  seed ^= seed << 13; seed ^= seed >> 17; seed ^= seed << 5;
  return (double)(seed % 1000000u) / 1000000.0;
}

static double energy(const Body *b) {
  double e = 0;
  for (int i = 0; i < NB; i++) {
    e += 0.5 * b[i].m * (b[i].vx * b[i].vx + b[i].vy * b[i].vy + b[i].vz * b[i].vz);
    for (int j = i + 1; j < NB; j++) {
      double dx = b[i].x - b[j].x, dy = b[i].y - b[j].y, dz = b[i].z - b[j].z;
      e -= b[i].m * b[j].m / sqrt(dx * dx + dy * dy + dz * dz + 0.01);
    }
  }
  return e;
}

static void step(Body *b, double dt) {
  for (int i = 0; i < NB; i++) {
    double ax = 0, ay = 0, az = 0;
    for (int j = 0; j < NB; j++) {
      if (j == i) continue;
      double dx = b[j].x - b[i].x, dy = b[j].y - b[i].y, dz = b[j].z - b[i].z;
      double d2 = dx * dx + dy * dy + dz * dz + 0.01;
      double inv = b[j].m / (d2 * sqrt(d2));
      ax += dx * inv; ay += dy * inv; az += dz * inv;
    }
    b[i].vx += dt * ax; b[i].vy += dt * ay; b[i].vz += dt * az;
  }
  for (int i = 0; i < NB; i++) {
    b[i].x += dt * b[i].vx; b[i].y += dt * b[i].vy; b[i].z += dt * b[i].vz;
  }
}

int main(int argc, char **argv) {
  int steps = argc > 1 ? atoi(argv[1]) : 400000;
  Body b[NB];
  for (int i = 0; i < NB; i++) {
    b[i].x = rnd() * 10 - 5; b[i].y = rnd() * 10 - 5; b[i].z = rnd() * 10 - 5;
    b[i].vx = rnd() - 0.5; b[i].vy = rnd() - 0.5; b[i].vz = rnd() - 0.5;
    b[i].m = 0.1 + rnd();
  }
  double e0 = energy(b);
  for (int s = 0; s < steps; s++) step(b, 0.0005);
  double e1 = energy(b);
  uint64_t h = 1469598103934665603ULL, bits;
  for (int i = 0; i < NB; i++) {
    double v[3] = {b[i].x, b[i].y, b[i].z};
    for (int k = 0; k < 3; k++) { memcpy(&bits, &v[k], 8); h = (h ^ bits) * 1099511628211ULL; }
  }
  printf("nbody steps=%d e0=%.9f e1=%.9f checksum=%016llx\n", steps, e0, e1, (unsigned long long)h);
  return 0;
}
