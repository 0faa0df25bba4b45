/* Recursive calls: naive Fibonacci, Takeuchi, Ackermann(2, n), and mutually recursive
 * even/odd with a depth bound; one round per unit of size, arguments varying per round. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint32_t fib(uint32_t n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

static int tak(int x, int y, int z) { return y < x ? tak(tak(x - 1, y, z), tak(y - 1, z, x), tak(z - 1, x, y)) : z; }

static uint32_t ack(uint32_t m, uint32_t n) {
  if (m == 0) return n + 1;
  if (n == 0) return ack(m - 1, 1);
  return ack(m - 1, ack(m, n - 1));
}

static int is_odd(uint32_t n);
static int is_even(uint32_t n) { return n == 0 ? 1 : is_odd(n - 1); }
static int is_odd(uint32_t n) { return n == 0 ? 0 : is_even(n - 1); }

int main(int argc, char **argv) {
  int rounds = argc > 1 ? atoi(argv[1]) : 600;
  uint64_t acc = 0;
  for (int r = 0; r < rounds; r++) {
    acc = acc * 31 + fib(24 + (uint32_t)(r % 3));
    acc = acc * 31 + (uint64_t)tak(18 + r % 2, 12, 6);
    acc = acc * 31 + ack(2, 400 + (uint32_t)r % 50);
    acc = acc * 31 + (uint64_t)is_even(5000 + (uint32_t)r);
  }
  printf("recurse rounds=%d checksum=%016llx\n", rounds, (unsigned long long)acc);
  return 0;
}
