/* Structs: arrays of structs, pass and return by value, nested aggregates, unions, struct copies. */
#include <stdio.h>
#include <string.h>
#include <stdint.h>

typedef struct { double x, y; } Vec2;
typedef struct { Vec2 pos, vel; float mass; int id; char tag[6]; } Body;
typedef struct { int64_t a; int8_t b; int32_t c; int16_t d; uint8_t e[3]; } Packed; /* with padding */
typedef union { float f; uint32_t u; uint8_t b[4]; } Pun;
typedef struct { int m[3][3]; } Mat3;

static Vec2 vadd(Vec2 a, Vec2 b) { return (Vec2){a.x + b.x, a.y + b.y}; }
static Vec2 vscale(Vec2 a, double s) { Vec2 r = {a.x * s, a.y * s}; return r; }
static double vdot(Vec2 a, Vec2 b) { return a.x * b.x + a.y * b.y; }

static Body step(Body b, double dt) { /* by value in, by value out */
  b.vel = vadd(b.vel, vscale((Vec2){-b.pos.x, -b.pos.y}, dt / b.mass));
  b.pos = vadd(b.pos, vscale(b.vel, dt));
  b.tag[0] = (char)('a' + b.id % 26);
  return b;
}

static Mat3 mul(Mat3 a, Mat3 b) {
  Mat3 r;
  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 3; j++) {
      r.m[i][j] = 0;
      for (int k = 0; k < 3; k++) r.m[i][j] += a.m[i][k] * b.m[k][j];
    }
  return r;
}

static Packed make(int i) { Packed p; memset(&p, 0, sizeof p); p.a = (int64_t)i * -1234567; p.b = (int8_t)(i * 37); p.c = i * i; p.d = (int16_t)(i * 999); p.e[0] = (uint8_t)i; p.e[2] = (uint8_t)~i; return p; }
static int64_t digest(Packed p) { return p.a + p.b * 3 + p.c * 5 + p.d * 7 + p.e[0] + p.e[1] + p.e[2]; }

int main(void) {
  Body bodies[16];
  for (int i = 0; i < 16; i++) {
    bodies[i] = (Body){{i - 8.0, (i % 5) * 1.5}, {0.25 * i, -0.5}, 1.0f + (float)i / 4, i, "body"};
  }
  for (int t = 0; t < 200; t++)
    for (int i = 0; i < 16; i++) bodies[i] = step(bodies[i], 0.01);
  double energy = 0;
  for (int i = 0; i < 16; i++) energy += 0.5 * bodies[i].mass * vdot(bodies[i].vel, bodies[i].vel);
  printf("energy=%.12f\n", energy);
  for (int i = 0; i < 16; i += 5) printf("body %d %s pos=(%.6f, %.6f) vel=(%.6f, %.6f)\n", bodies[i].id, bodies[i].tag, bodies[i].pos.x, bodies[i].pos.y, bodies[i].vel.x, bodies[i].vel.y);

  /* swap structs through a temporary, sort by insertion on a field */
  for (int i = 1; i < 16; i++) {
    Body key = bodies[i]; int j = i - 1;
    while (j >= 0 && bodies[j].pos.x > key.pos.x) { bodies[j + 1] = bodies[j]; j--; }
    bodies[j + 1] = key;
  }
  printf("order:");
  for (int i = 0; i < 16; i++) printf(" %d", bodies[i].id);
  printf("\n");

  printf("sizeof Body=%zu Packed=%zu Pun=%zu Mat3=%zu offsetof(c)=%zu\n", sizeof(Body), sizeof(Packed), sizeof(Pun), sizeof(Mat3), __builtin_offsetof(Packed, c));
  Packed arr[10]; int64_t dsum = 0;
  for (int i = 0; i < 10; i++) arr[i] = make(i * 13 - 40);
  Packed copy[10];
  memcpy(copy, arr, sizeof arr);
  for (int i = 0; i < 10; i++) dsum += digest(copy[9 - i]) * (i + 1);
  printf("packed digest=%lld\n", (long long)dsum);

  Pun p = {.f = -1.5f};
  printf("pun: f=%g u=%08x bytes=%02x %02x %02x %02x\n", p.f, p.u, p.b[0], p.b[1], p.b[2], p.b[3]);
  p.u ^= 0x80000000u;
  printf("pun flipped: f=%g\n", p.f);

  Mat3 a = {{{1, 2, 3}, {4, 5, 6}, {7, 8, 10}}}, r = {{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}};
  for (int i = 0; i < 5; i++) r = mul(r, a);
  printf("a^5 row0: %d %d %d, trace=%d\n", r.m[0][0], r.m[0][1], r.m[0][2], r.m[0][0] + r.m[1][1] + r.m[2][2]);
  return (int)((dsum & 0x3f) + r.m[2][2] % 64);
}
