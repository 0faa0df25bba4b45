#include "t.h"
int area_random(int argc, char **argv) {
  (void)argc, (void)argv;
  uint8_t a[64], b[64];
  memset(a, 0, sizeof a);
  memset(b, 0, sizeof b);
  W("random a", __wasi_random_get(a, sizeof a));
  W("random b", __wasi_random_get(b, sizeof b));
  int zeros = 0;
  for (int i = 0; i < 64; i++) zeros += a[i] == 0;
  printf("differ %d mostly nonzero %d\n", memcmp(a, b, 64) != 0, zeros < 16);
  W("zero length", __wasi_random_get(a, 0));
  static uint8_t big[1 << 16];
  W("64 KiB", __wasi_random_get(big, sizeof big));
  int hist[256] = {0};
  for (size_t i = 0; i < sizeof big; i++) hist[big[i]]++;
  int ok = 1;
  for (int i = 0; i < 256; i++) ok &= hist[i] > 128 && hist[i] < 400;
  printf("distribution plausible %d\n", ok);
  uint32_t r1 = arc4random(), r2 = arc4random();
  printf("arc4random differs %d\n", r1 != r2);
  return 0;
}
