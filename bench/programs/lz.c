/* LZ77-style compressor with a hash-chain match finder (window 32 KiB, matches 4..258),
 * a byte-oriented token format, and the matching decompressor with round-trip check, over
 * 96 KiB of generated word-salad text; one compress+decompress per unit of size. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IN_MAX (96 * 1024)
#define WINDOW 32768
#define HBITS 14
#define MINM 4
#define MAXM 258
#define CHAIN 24

static uint8_t in[IN_MAX], out[IN_MAX * 2], back[IN_MAX];
static int32_t head[1 << HBITS], prevpos[IN_MAX];

static uint32_t h4(const uint8_t *p) {
  uint32_t v = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
  return (v * 2654435761u) >> (32 - HBITS);
}

/* Format: literal run = 0x00-0x7f: (n-1) then n bytes; match = 0x80 | (len-MINM)>>8 ... */
static int compress(const uint8_t *src, int n, uint8_t *dst) {
  for (int i = 0; i < (1 << HBITS); i++) head[i] = -1;
  int o = 0, lit_start = 0, i = 0;
  while (i < n) {
    int best_len = 0, best_off = 0;
    if (i + MINM <= n) {
      uint32_t h = h4(src + i);
      int cand = head[h], chain = CHAIN;
      while (cand >= 0 && i - cand < WINDOW && chain-- > 0) {
        if (src[cand + best_len] == src[i + best_len]) {
          int l = 0, maxl = n - i < MAXM ? n - i : MAXM;
          while (l < maxl && src[cand + l] == src[i + l]) l++;
          if (l > best_len) { best_len = l; best_off = i - cand; if (l == maxl) break; }
        }
        cand = prevpos[cand];
      }
      prevpos[i] = head[h];
      head[h] = i;
    }
    if (best_len >= MINM) {
      while (lit_start < i) { /* flush literals */
        int run = i - lit_start > 128 ? 128 : i - lit_start;
        dst[o++] = (uint8_t)(run - 1);
        memcpy(dst + o, src + lit_start, (size_t)run);
        o += run; lit_start += run;
      }
      int l = best_len - MINM; /* 0..254 */
      dst[o++] = (uint8_t)(0x80 | (best_off >> 8 & 0x7f));
      dst[o++] = (uint8_t)(best_off & 0xff);
      dst[o++] = (uint8_t)l;
      for (int k = 1; k < best_len && i + k + MINM <= n; k++) { /* index the skipped positions */
        uint32_t h = h4(src + i + k);
        prevpos[i + k] = head[h];
        head[h] = i + k;
      }
      i += best_len;
      lit_start = i;
    } else {
      i++;
    }
  }
  while (lit_start < n) {
    int run = n - lit_start > 128 ? 128 : n - lit_start;
    dst[o++] = (uint8_t)(run - 1);
    memcpy(dst + o, src + lit_start, (size_t)run);
    o += run; lit_start += run;
  }
  return o;
}

static int decompress(const uint8_t *src, int n, uint8_t *dst) {
  int i = 0, o = 0;
  while (i < n) {
    uint8_t c = src[i++];
    if (c < 0x80) {
      int run = c + 1;
      memcpy(dst + o, src + i, (size_t)run);
      i += run; o += run;
    } else {
      int off = (c & 0x7f) << 8 | src[i];
      int len = src[i + 1] + MINM;
      i += 2;
      for (int k = 0; k < len; k++, o++) dst[o] = dst[o - off]; /* may overlap */
    }
  }
  return o;
}

int main(int argc, char **argv) {
  int passes = argc > 1 ? atoi(argv[1]) : 300;
  static const char *words[] = {"the ", "quick ", "brown ", "fox ", "jumps ", "over ", "lazy ", "dog ", "kiln ",
                                "compiles ", "webassembly ", "to ", "native ", "code, ", "and ", "then ", "runs ",
                                "it. ", "\n", "register ", "allocation ", "is ", "hard "};
  uint32_t s = 1;
  int n = 0;
  while (n < IN_MAX - 16) {
    s = s * 1664525u + 1013904223u;
    const char *w = words[(s >> 16) % (sizeof words / sizeof *words)];
    size_t l = strlen(w);
    memcpy(in + n, w, l);
    n += (int)l;
    if (((s >> 8) & 63) == 0) in[n++] = (uint8_t)('A' + (s >> 24) % 26); /* occasional noise */
  }
  uint64_t acc = 0;
  for (int p = 0; p < passes; p++) {
    in[(p * 7919) % n] = (uint8_t)('a' + p % 26);
    int c = compress(in, n, out);
    int d = decompress(out, c, back);
    if (d != n || memcmp(in, back, (size_t)n) != 0) { printf("lz round trip failed at pass %d\n", p); return 1; }
    uint32_t h = 2166136261u;
    for (int i = 0; i < c; i++) h = (h ^ out[i]) * 16777619u;
    acc = acc * 31 + h + (uint64_t)c;
  }
  printf("lz passes=%d in=%d checksum=%016llx\n", passes, n, (unsigned long long)acc);
  return 0;
}
