/* memcpy / memmove / memset / memcmp heavy: blocks of many sizes and alignments shuffled
 * inside a 1 MiB arena; one round of 2000 operations per unit of size. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA (1 << 20)

static uint8_t arena[ARENA];
static uint8_t scratch[65536];

int main(int argc, char **argv) {
  int rounds = argc > 1 ? atoi(argv[1]) : 1200;
  uint32_t s = 99991;
  for (int i = 0; i < ARENA; i++) {
    s = s * 1664525u + 1013904223u;
    arena[i] = (uint8_t)(s >> 24);
  }
  uint64_t acc = 0;
  for (int r = 0; r < rounds; r++) {
    for (int op = 0; op < 2000; op++) {
      s = s * 1664525u + 1013904223u;
      uint32_t len = ((s >> 8) & 0x3fff) + 1; /* 1 .. 16 KiB */
      uint32_t src = (s * 2654435761u) % (ARENA - len);
      s = s * 1664525u + 1013904223u;
      uint32_t dst = (s >> 4) % (ARENA - len);
      switch (s & 3) {
      case 0: memcpy(scratch, arena + src, len); memcpy(arena + dst, scratch, len); break;
      case 1: memmove(arena + dst, arena + src, len); break;
      case 2: memset(arena + dst, (int)(s >> 24), len / 4 + 1); break;
      default: { int c = memcmp(arena + src, arena + dst, len); acc += (uint64_t)((c > 0) - (c < 0) + 2); } break;
      }
      acc += arena[(dst + len / 2) % ARENA];
    }
  }
  uint64_t h = 1469598103934665603ULL;
  for (int i = 0; i < ARENA; i += 64) h = (h ^ arena[i]) * 1099511628211ULL;
  printf("memops rounds=%d checksum=%016llx%016llx\n", rounds, (unsigned long long)acc, (unsigned long long)h);
  return 0;
}
