/* Bit manipulation: clz/ctz/popcount (32 and 64 bit), rotates, byte swaps, bit reversal, parity. */
#include <stdio.h>
#include <stdint.h>
#include <inttypes.h>

static volatile uint32_t v32[] = {0, 1, 2, 3, 0x80000000u, 0x7fffffffu, 0xffffffffu, 0x00f0f000u, 0x12345678u, 0xdeadbeefu, 0x10000u};
static volatile uint64_t v64[] = {0, 1, 0x8000000000000000ULL, 0xffffffffffffffffULL, 0x00000000ffffffffULL, 0xffffffff00000000ULL,
                                  0x0123456789abcdefULL, 0x100000000ULL, 0xf0f0f0f0f0f0f0f0ULL};

static uint32_t rotl32(uint32_t x, unsigned k) { return (x << (k & 31)) | (x >> ((32 - k) & 31)); }
static uint32_t rotr32(uint32_t x, unsigned k) { return (x >> (k & 31)) | (x << ((32 - k) & 31)); }
static uint64_t rotl64(uint64_t x, unsigned k) { return (x << (k & 63)) | (x >> ((64 - k) & 63)); }
static uint64_t rotr64(uint64_t x, unsigned k) { return (x >> (k & 63)) | (x << ((64 - k) & 63)); }

static uint32_t reverse32(uint32_t x) {
  x = ((x >> 1) & 0x55555555u) | ((x & 0x55555555u) << 1);
  x = ((x >> 2) & 0x33333333u) | ((x & 0x33333333u) << 2);
  x = ((x >> 4) & 0x0f0f0f0fu) | ((x & 0x0f0f0f0fu) << 4);
  return __builtin_bswap32(x);
}

static int popcount_slow(uint64_t x) { int n = 0; while (x) { x &= x - 1; n++; } return n; }

int main(void) {
  uint32_t acc = 0;
  for (unsigned i = 0; i < sizeof v32 / sizeof v32[0]; i++) {
    uint32_t x = v32[i];
    int clz = x ? __builtin_clz(x) : 32, ctz = x ? __builtin_ctz(x) : 32;
    printf("%08x clz=%2d ctz=%2d pop=%2d par=%d rotl7=%08x rotr13=%08x bswap=%08x rev=%08x low=%08x\n", x, clz, ctz,
           __builtin_popcount(x), __builtin_parity(x), rotl32(x, 7), rotr32(x, 13), __builtin_bswap32(x), reverse32(x), x & -x);
    acc = acc * 33 + (uint32_t)(clz + ctz * 3) + rotl32(x, i);
  }
  uint64_t acc64 = 0;
  for (unsigned i = 0; i < sizeof v64 / sizeof v64[0]; i++) {
    uint64_t x = v64[i];
    int clz = x ? __builtin_clzll(x) : 64, ctz = x ? __builtin_ctzll(x) : 64;
    int pop = __builtin_popcountll(x);
    printf("%016" PRIx64 " clz=%2d ctz=%2d pop=%2d ok=%d rotl17=%016" PRIx64 " rotr40=%016" PRIx64 " bswap=%016" PRIx64 "\n", x, clz, ctz, pop,
           pop == popcount_slow(x), rotl64(x, 17), rotr64(x, 40), __builtin_bswap64(x));
    acc64 = rotl64(acc64, 5) ^ x ^ (uint64_t)(clz * 100 + ctz);
  }
  /* rotate by every amount, variable counts */
  uint32_t r = 0x9e3779b9u; uint64_t r64 = 0x9e3779b97f4a7c15ULL;
  for (unsigned k = 0; k < 100; k++) { r = rotl32(r, k) ^ rotr32(r, k + 3) ^ k; r64 = rotl64(r64, k) + rotr64(r64, 64 - k) + k; }
  /* bit fields and masks */
  struct { unsigned a : 3, b : 7, c : 13, d : 9; } bf = {5, 100, 8000, 300};
  bf.b += 30; bf.c ^= 0x1555; bf.d = bf.d * 3;
  printf("bitfield a=%u b=%u c=%u d=%u\n", bf.a, bf.b, bf.c, bf.d);
  int32_t sx = (int32_t)(v32[9] << 4) >> 8; /* sign-extending field extraction */
  printf("rot32=%08x rot64=%016" PRIx64 " acc=%08x acc64=%016" PRIx64 " sx=%d\n", r, r64, acc, acc64, sx);
  uint32_t gray = 0;
  for (uint32_t i = 0; i < 1000; i++) gray += (i ^ (i >> 1)) * (uint32_t)__builtin_popcount(i);
  printf("gray=%u ffs=%d %d\n", gray, __builtin_ffs(0x50), __builtin_ffsll(0x4000000000ULL));
  return (int)((acc ^ r ^ (uint32_t)acc64) & 0xff);
}
