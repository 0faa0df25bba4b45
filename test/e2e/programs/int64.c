/* 64-bit integer arithmetic: mul/div/rem/shifts, signed vs unsigned, INT64_MIN edges, 128-bit products. */
#include <stdio.h>
#include <stdint.h>
#include <inttypes.h>

static volatile int64_t vs[] = {0, 1, -1, 7, -7, 1000000007, -999999999999LL, INT64_MAX, INT64_MIN, INT64_MIN + 1,
                                0x123456789abcdefLL, -0x0fedcba987654321LL, 4294967296LL, -4294967296LL};
static volatile int shifts[] = {0, 1, 31, 32, 33, 63, 64, 65, 127};

static uint64_t mix(uint64_t h, uint64_t v) { h ^= v; h *= 0x100000001b3ULL; return h ^ (h >> 29); }

int main(void) {
  int n = sizeof vs / sizeof vs[0];
  uint64_t h = 0xcbf29ce484222325ULL;
  for (int i = 0; i < n; i++) {
    for (int j = 0; j < n; j++) {
      int64_t a = vs[i], b = vs[j];
      uint64_t ua = (uint64_t)a, ub = (uint64_t)b;
      uint64_t prod = ua * ub;
      h = mix(h, prod);
      if (b != 0 && !(a == INT64_MIN && b == -1)) {
        h = mix(h, (uint64_t)(a / b));
        h = mix(h, (uint64_t)(a % b));
      }
      if (ub != 0) { h = mix(h, ua / ub); h = mix(h, ua % ub); }
      h = mix(h, (uint64_t)(a < b) | (uint64_t)(ua < ub) << 1 | (uint64_t)(a == b) << 2);
    }
  }
  printf("pairwise hash %016" PRIx64 "\n", h);

  for (int i = 0; i < 5; i++) {
    int64_t a = vs[7 + i];
    printf("a=%" PRId64 " a/3=%" PRId64 " a%%3=%" PRId64 " a/-3=%" PRId64 " a%%-3=%" PRId64 " (u)a/3=%" PRIu64 " (u)a%%10=%" PRIu64 "\n",
           a, a / 3, a % 3, a / -3, a % -3, (uint64_t)a / 3, (uint64_t)a % 10);
  }
  int64_t mn = vs[8];
  printf("INT64_MIN: /1=%" PRId64 " %%-1=%d neg(u)=%" PRIu64 " -1*MIN(u)=%" PRIx64 " MIN>>63=%" PRId64 " (u)MIN>>63=%" PRIu64 "\n",
         mn / vs[1], 0, -(uint64_t)mn, (uint64_t)mn * (uint64_t)vs[2], mn >> 63, (uint64_t)mn >> 63);
  printf("MAX+1 wraps to %" PRId64 ", MIN-1 wraps to %" PRId64 "\n", (int64_t)((uint64_t)vs[7] + 1), (int64_t)((uint64_t)mn - 1));

  for (int s = 0; s < 9; s++) {
    int k = shifts[s] & 63; /* C shifts past the width are UB; wasm masks the count the same way */
    int64_t x = vs[11];
    printf("sh %3d: shl=%016" PRIx64 " sar=%016" PRIx64 " shr=%016" PRIx64 " rot=%016" PRIx64 "\n", shifts[s],
           (uint64_t)x << k, (uint64_t)(x >> k), (uint64_t)x >> k, ((uint64_t)x << k) | ((uint64_t)x >> ((64 - k) & 63)));
  }

  /* 32-bit values widened both ways */
  volatile int32_t neg = -5; volatile uint32_t big = 0xfffffff0u;
  printf("sext=%" PRId64 " zext=%" PRIu64 " trunc=%d mixed=%" PRId64 "\n", (int64_t)neg, (uint64_t)big, (int32_t)vs[10], (int64_t)neg * big);

  /* 128-bit products via compiler-rt */
  unsigned __int128 p = (unsigned __int128)(uint64_t)vs[7] * (uint64_t)vs[10];
  __int128 q = (__int128)vs[8] * vs[6];
  printf("u128 hi=%016" PRIx64 " lo=%016" PRIx64 " i128 hi=%016" PRIx64 " lo=%016" PRIx64 "\n",
         (uint64_t)(p >> 64), (uint64_t)p, (uint64_t)((unsigned __int128)q >> 64), (uint64_t)q);
  unsigned __int128 d = ((unsigned __int128)1 << 100) / (uint64_t)vs[5];
  printf("2^100/1e9+7 = %016" PRIx64 "%016" PRIx64 "\n", (uint64_t)(d >> 64), (uint64_t)d);

  /* modular exponentiation and a 64-bit LCG */
  uint64_t base = 123456789, e = 1000000, mod = (uint64_t)vs[5], r = 1;
  while (e) { if (e & 1) r = r * base % mod; base = base * base % mod; e >>= 1; }
  uint64_t lcg = 42;
  for (int i = 0; i < 100000; i++) lcg = lcg * 6364136223846793005ULL + 1442695040888963407ULL;
  printf("powmod=%" PRIu64 " lcg=%016" PRIx64 "\n", r, lcg);
  return (int)((h ^ r ^ lcg) % 200);
}
