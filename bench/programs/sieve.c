/* Sieve of Eratosthenes over a byte array of about a million entries, repeated with a
 * slightly different limit each round; the checksum sums prime counts and the largest primes. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAXN 1100000

static uint8_t composite[MAXN + 1];

int main(int argc, char **argv) {
  int rounds = argc > 1 ? atoi(argv[1]) : 250;
  uint64_t sum = 0;
  for (int r = 0; r < rounds; r++) {
    int limit = 1000000 + (r * 7777) % 100000;
    memset(composite, 0, (size_t)limit + 1);
    for (int i = 2; (int64_t)i * i <= limit; i++)
      if (!composite[i])
        for (int j = i * i; j <= limit; j += i) composite[j] = 1;
    int count = 0, last = 0;
    for (int i = 2; i <= limit; i++)
      if (!composite[i]) { count++; last = i; }
    sum = sum * 31 + (uint64_t)count * 1000003u + (uint64_t)last;
  }
  printf("sieve rounds=%d checksum=%llu\n", rounds, (unsigned long long)sum);
  return 0;
}
