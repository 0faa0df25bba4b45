/* Permutations: every permutation of 9 elements by Heap's algorithm (iterative), per round,
 * folding each into a checksum (weighted sum, fixed points, a pancake-flip count of the first). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define N 9

static uint64_t visit(const uint8_t *a, uint64_t acc) {
  uint32_t w = 0;
  int fixed = 0;
  for (int i = 0; i < N; i++) {
    w = w * 11 + a[i];
    fixed += a[i] == i;
  }
  /* flips: reverse prefixes until the first element is 0 (bounded) */
  uint8_t b[N];
  for (int i = 0; i < N; i++) b[i] = a[i];
  int flips = 0;
  while (b[0] != 0 && flips < 16) {
    int k = b[0];
    for (int i = 0, j = k; i < j; i++, j--) { uint8_t t = b[i]; b[i] = b[j]; b[j] = t; }
    flips++;
  }
  return acc * 1000003u + w + (uint64_t)fixed * 7 + (uint64_t)flips;
}

int main(int argc, char **argv) {
  int rounds = argc > 1 ? atoi(argv[1]) : 18;
  uint64_t acc = 0;
  uint64_t total = 0;
  for (int r = 0; r < rounds; r++) {
    uint8_t a[N], c[N] = {0};
    for (int i = 0; i < N; i++) a[i] = (uint8_t)((i + r) % N);
    acc = visit(a, acc);
    total++;
    int i = 1;
    while (i < N) {
      if (c[i] < i) {
        int j = (i & 1) ? c[i] : 0;
        uint8_t t = a[j]; a[j] = a[i]; a[i] = t;
        acc = visit(a, acc);
        total++;
        c[i]++;
        i = 1;
      } else {
        c[i] = 0;
        i++;
      }
    }
  }
  printf("permute rounds=%d perms=%llu checksum=%016llx\n", rounds, (unsigned long long)total, (unsigned long long)acc);
  return 0;
}
