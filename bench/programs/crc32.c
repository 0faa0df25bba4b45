/* CRC-32 (reflected, polynomial 0xEDB88320) with a byte-at-a-time table and a
 * slicing-by-4 variant, over a 64 KiB buffer; one buffer pass per unit of size. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define LEN 65536

static uint32_t table[4][256];

static void make_tables(void) {
  for (uint32_t i = 0; i < 256; i++) {
    uint32_t c = i;
    for (int k = 0; k < 8; k++) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    table[0][i] = c;
  }
  for (int t = 1; t < 4; t++)
    for (int i = 0; i < 256; i++) table[t][i] = (table[t - 1][i] >> 8) ^ table[0][table[t - 1][i] & 0xff];
}

static uint32_t crc_bytewise(const uint8_t *p, int n, uint32_t crc) {
  crc = ~crc;
  for (int i = 0; i < n; i++) crc = table[0][(crc ^ p[i]) & 0xff] ^ (crc >> 8);
  return ~crc;
}

static uint32_t crc_slice4(const uint8_t *p, int n, uint32_t crc) {
  crc = ~crc;
  int i = 0;
  for (; i + 4 <= n; i += 4) {
    crc ^= (uint32_t)p[i] | (uint32_t)p[i + 1] << 8 | (uint32_t)p[i + 2] << 16 | (uint32_t)p[i + 3] << 24;
    crc = table[3][crc & 0xff] ^ table[2][(crc >> 8) & 0xff] ^ table[1][(crc >> 16) & 0xff] ^ table[0][crc >> 24];
  }
  for (; i < n; i++) crc = table[0][(crc ^ p[i]) & 0xff] ^ (crc >> 8);
  return ~crc;
}

int main(int argc, char **argv) {
  int passes = argc > 1 ? atoi(argv[1]) : 3000;
  static uint8_t buf[LEN];
  make_tables();
  uint32_t x = 12345;
  for (int i = 0; i < LEN; i++) {
    x = x * 1103515245u + 12345u;
    buf[i] = (uint8_t)(x >> 16);
  }
  uint32_t a = 0, b = 0;
  for (int p = 0; p < passes; p++) {
    if (p & 1) a = crc_bytewise(buf, LEN, a);
    else b = crc_slice4(buf, LEN, b);
    buf[(p * 7919) % LEN] = (uint8_t)(a ^ b);
  }
  if (crc_bytewise(buf, 1000, 7) != crc_slice4(buf, 1000, 7)) {
    puts("crc32 mismatch between implementations");
    return 1;
  }
  printf("crc32 passes=%d checksum=%08x%08x\n", passes, a, b);
  return 0;
}
