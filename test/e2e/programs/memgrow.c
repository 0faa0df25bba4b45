/* Memory growth: allocates several MB so the heap grows with memory.grow, touches every page, frees, reallocates. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>

static uint32_t pages(void) { return (uint32_t)__builtin_wasm_memory_size(0); }

int main(void) {
  uint32_t start = pages();
  printf("initial pages: %s\n", start > 0 ? "some" : "none");
  enum { CHUNKS = 24, CHUNK = 256 * 1024 };
  unsigned char *chunks[CHUNKS];
  uint64_t sum = 0;
  for (int i = 0; i < CHUNKS; i++) {
    chunks[i] = malloc(CHUNK);
    if (!chunks[i]) { printf("malloc %d failed\n", i); return 2; }
    for (int j = 0; j < CHUNK; j += 4096) chunks[i][j] = (unsigned char)(i + j / 4096);
    chunks[i][CHUNK - 1] = (unsigned char)(i * 3);
  }
  for (int i = 0; i < CHUNKS; i++) {
    for (int j = 0; j < CHUNK; j += 4096) sum += chunks[i][j];
    sum += chunks[i][CHUNK - 1];
  }
  uint32_t after_chunks = pages();
  printf("chunks: sum=%llu grew by >= 96 pages: %s\n", (unsigned long long)sum, after_chunks - start >= 96 ? "yes" : "no");

  /* one big block of 8 MB, filled and checked */
  size_t big = 8u << 20;
  uint32_t *b = malloc(big);
  if (!b) { puts("big malloc failed"); return 3; }
  for (size_t i = 0; i < big / 4; i++) b[i] = (uint32_t)(i * 2654435761u);
  uint32_t x = 0;
  for (size_t i = 0; i < big / 4; i += 1021) x ^= b[i];
  printf("big block: xor=%08x last=%08x\n", x, b[big / 4 - 1]);
  uint32_t after_big = pages();
  printf("pages grew: %s, total MB >= 14: %s\n", after_big > after_chunks ? "yes" : "no", after_big >= 14 * 16 ? "yes" : "no");

  for (int i = 0; i < CHUNKS; i += 2) free(chunks[i]);
  /* realloc the big block larger: contents must survive the move */
  b = realloc(b, big * 2);
  if (!b) { puts("realloc failed"); return 4; }
  memset((char *)b + big, 0x5a, big);
  uint32_t y = 0;
  for (size_t i = 0; i < big / 4; i += 1021) y ^= b[i];
  printf("after realloc: same=%d tail=%08x\n", x == y, b[big / 2 - 1]);

  /* grow directly as well; memory.grow returns the old size in pages */
  uint32_t before = pages();
  int32_t old = (int32_t)__builtin_wasm_memory_grow(0, 3);
  uint32_t now = pages();
  printf("memory.grow(3): returned old size=%d now+3=%d\n", old == (int32_t)before, now == before + 3);
  volatile unsigned char *top = (unsigned char *)(uintptr_t)(now * 65536u - 1);
  *top = 77;
  printf("last byte of memory: %d\n", *top);
  free(b);
  for (int i = 1; i < CHUNKS; i += 2) free(chunks[i]);
  return (int)(sum % 100) + 1;
}
