#include "t.h"
#include <ctype.h>
int area_stdin(int argc, char **argv) {
  (void)argc, (void)argv;
  static char buf[1 << 20];
  size_t n = 0;
  ssize_t r;
  while ((r = read(0, buf + n, sizeof buf - n)) > 0) n += (size_t)r;
  uint32_t h = 2166136261u;
  int lines = 0;
  for (size_t i = 0; i < n; i++) {
    h = (h ^ (uint8_t)buf[i]) * 16777619u;
    lines += buf[i] == '\n';
  }
  printf("read %zu bytes, %d lines, fnv %08x, last read %d\n", n, lines, h, (int)r);
  for (size_t i = 0; i < n && i < 40; i++) putchar(toupper((unsigned char)buf[i]));
  putchar('\n');
  printf("read at eof %d\n", (int)read(0, buf, 10));
  return 0;
}
