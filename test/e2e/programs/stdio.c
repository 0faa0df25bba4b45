/* stdio formatting: printf conversions, widths and flags, puts, putchar, stderr. */
#include <stdio.h>
#include <stdint.h>
#include <inttypes.h>
#include <limits.h>

static int checksum(const char *s) {
  int h = 0;
  while (*s) h = h * 31 + (unsigned char)*s++;
  return h;
}

int main(void) {
  char buf[256];
  int n;

  puts("== integers ==");
  printf("[%d] [%i] [%u] [%x] [%X] [%o]\n", 42, -42, 3000000000u, 0xbeef, 0xbeef, 8);
  printf("[%5d] [%-5d] [%05d] [%+d] [% d] [%+d]\n", 42, 42, 42, 42, 42, -42);
  printf("[%#x] [%#o] [%.3d] [%8.3d] [%-8.3d|]\n", 255, 8, 7, 7, 7);
  printf("[%d] [%d]\n", INT_MAX, INT_MIN);
  printf("[%lld] [%llu] [%llx]\n", (long long)INT64_MIN, (unsigned long long)UINT64_MAX, 0x123456789abcdefULL);
  printf("[%" PRId64 "] [%" PRIu32 "] [%zu] [%td]\n", (int64_t)-1234567890123LL, (uint32_t)4000000000u, sizeof(long double), (ptrdiff_t)-3);
  printf("[%hhd] [%hd] [%hhu]\n", (char)200, (short)70000, (unsigned char)300);

  puts("== floats ==");
  printf("[%f] [%.2f] [%10.4f] [%-10.1f|] [%+.3f]\n", 3.14159265, 2.5, -1.0 / 3, 100.0, 0.0);
  printf("[%e] [%.3E] [%g] [%g] [%g] [%G]\n", 123456.789, 0.000123, 1e-5, 1e16, 100000.0, 1.5e-10);
  printf("[%.17g] [%.17g] [%.9g]\n", 0.1, 1.0 / 3.0, (double)(1.0f / 3.0f));
  printf("[%a] [%A]\n", 1.0, -0.75);
  printf("[%f] [%f] [%e] [%g]\n", 1e300 * 1e10, -1e300 * 1e10, -0.0, 1e-320);
  printf("[%.0f] [%.0f] [%.0f] [%.1f]\n", 0.5, 1.5, 2.5, 0.05);

  puts("== strings and chars ==");
  printf("[%s] [%10s] [%-10s|] [%.3s] [%c%c%c]\n", "kiln", "right", "left", "truncate", 'a', 'b', 'c');
  printf("[%%] [%5c] [%-3c|]\n", 'x', 'y');
  printf("%s%n", "counted", &n);
  printf(" -> n=%d\n", n);

  puts("== putchar ==");
  for (int i = 0; i < 26; i++) putchar('A' + (i * 7) % 26);
  putchar('\n');

  puts("== snprintf ==");
  int len = snprintf(buf, sizeof buf, "%d-%s-%.2f-%x", 17, "mid", 9.875, 48879);
  printf("%s len=%d\n", buf, len);
  len = snprintf(buf, 8, "%s", "0123456789abcdef");
  printf("%s len=%d\n", buf, len);
  int sum = checksum(buf);
  for (int i = 0; i < 10; i++) {
    snprintf(buf, sizeof buf, "line %d: %*d|%-*d|%.*f", i, i, i * i, i, -i, i % 4, i / 7.0);
    puts(buf);
    sum ^= checksum(buf);
  }
  fprintf(stderr, "stderr: checksum %d\n", sum);
  printf("checksum %d\n", sum);
  fflush(stdout);
  return (sum & 0x3f) + 1;
}
