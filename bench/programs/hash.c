/* Integer hashing: a 64-bit multiply/rotate hash and a 32-bit FNV-style hash over a
 * pseudo-random 64 KiB buffer, one pass per unit of size, each pass seeded differently. */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define BUF_WORDS 8192

static uint64_t rotl(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

static uint64_t mix_hash(const uint64_t *w, int n, uint64_t seed) {
  uint64_t h = seed ^ 0x9e3779b97f4a7c15ULL;
  for (int i = 0; i < n; i++) {
    uint64_t k = w[i] * 0xff51afd7ed558ccdULL;
    k = rotl(k, 31) * 0xc4ceb9fe1a85ec53ULL;
    h = rotl(h ^ k, 27) * 5 + 0x52dce729;
  }
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  return h ^ (h >> 29);
}

static uint32_t byte_hash(const uint8_t *p, int n, uint32_t seed) {
  uint32_t h = 2166136261u ^ seed;
  for (int i = 0; i < n; i++) h = (h ^ p[i]) * 16777619u;
  return h;
}

int main(int argc, char **argv) {
  int passes = argc > 1 ? atoi(argv[1]) : 12000;
  static uint64_t buf[BUF_WORDS];
  uint64_t s = 88172645463325252ULL;
  for (int i = 0; i < BUF_WORDS; i++) {
    s ^= s << 13; s ^= s >> 7; s ^= s << 17;
    buf[i] = s;
  }
  uint64_t acc = 0;
  uint32_t acc32 = 0;
  for (int p = 0; p < passes; p++) {
    acc += mix_hash(buf, BUF_WORDS, (uint64_t)p);
    acc32 ^= byte_hash((const uint8_t *)buf + (p & 1023), 16384, (uint32_t)p);
    buf[p % BUF_WORDS] ^= acc; /* each pass sees slightly different data */
  }
  printf("hash passes=%d checksum=%016" PRIx64 "%08" PRIx32 "\n", passes, acc, acc32);
  return 0;
}
