/* Recursion: Ackermann, mutual recursion, Hanoi, memoised and naive Fibonacci, permutations. */
#include <stdio.h>
#include <stdint.h>

static volatile int knob = 1; /* keeps clang from evaluating everything at compile time */

static unsigned ackermann(unsigned m, unsigned n) {
  if (m == 0) return n + 1;
  if (n == 0) return ackermann(m - 1, 1);
  return ackermann(m - 1, ackermann(m, n - 1));
}

static int is_odd(unsigned n);
static int is_even(unsigned n) { return n == 0 ? 1 : is_odd(n - 1); }
static int is_odd(unsigned n) { return n == 0 ? 0 : is_even(n - 1); }

/* Hofstadter Female and Male sequences: mutual recursion with two calls */
static int hof_m(int n);
static int hof_f(int n) { return n == 0 ? 1 : n - hof_m(hof_f(n - 1)); }
static int hof_m(int n) { return n == 0 ? 0 : n - hof_f(hof_m(n - 1)); }

static uint64_t hanoi(int n, int from, int to, int via, uint64_t *checksum) {
  if (n == 0) return 0;
  uint64_t moves = hanoi(n - 1, from, via, to, checksum);
  *checksum = *checksum * 3 + (uint64_t)(from * 3 + to);
  return moves + 1 + hanoi(n - 1, via, to, from, checksum);
}

static uint64_t fib(int n) { return n < 2 ? (uint64_t)n : fib(n - 1) + fib(n - 2); }

static uint64_t memo[91];
static uint64_t fib_memo(int n) {
  if (n < 2) return (uint64_t)n;
  if (memo[n]) return memo[n];
  return memo[n] = fib_memo(n - 1) + fib_memo(n - 2);
}

static int perm_count;
static unsigned perm_hash;
static void permute(char *s, int k, int n) {
  if (k == n) {
    perm_count++;
    for (int i = 0; i < n; i++) perm_hash = perm_hash * 7 + s[i];
    return;
  }
  for (int i = k; i < n; i++) {
    char t = s[k]; s[k] = s[i]; s[i] = t;
    permute(s, k + 1, n);
    t = s[k]; s[k] = s[i]; s[i] = t;
  }
}

static int depth(int n) { return n == 0 ? 0 : 1 + depth(n - knob); }

static int64_t sum_digits_rec(int64_t n) { return n < 10 ? n : n % 10 + sum_digits_rec(n / 10); }

int main(void) {
  for (unsigned m = 0; m <= 3; m++)
    for (unsigned n = 0; n <= 4; n++) printf("A(%u,%u)=%u%c", m, n, ackermann(m * knob, n), n == 4 ? '\n' : ' ');
  printf("A(2,300)=%u\n", ackermann(2, 300 * knob));
  printf("even(3001)=%d odd(2777)=%d even(0)=%d\n", is_even(3001 * knob), is_odd(2777 * knob), is_even(0));
  printf("F:");
  for (int i = 0; i < 20; i++) printf(" %d", hof_f(i * knob));
  printf("\nM:");
  for (int i = 0; i < 20; i++) printf(" %d", hof_m(i * knob));
  printf("\n");
  uint64_t ck = 0;
  uint64_t moves = hanoi(18 * knob, 0, 2, 1, &ck);
  printf("hanoi(18) moves=%llu checksum=%llu\n", (unsigned long long)moves, (unsigned long long)ck);
  printf("fib(27)=%llu fib_memo(90)=%llu\n", (unsigned long long)fib(27 * knob), (unsigned long long)fib_memo(90 * knob));
  char s[] = "abcdefg";
  permute(s, 0, 7 * knob);
  printf("permutations=%d hash=%u back=%s\n", perm_count, perm_hash, s);
  printf("depth(5000)=%d digits=%lld\n", depth(5000 * knob), (long long)sum_digits_rec(9223372036854775807LL));
  return (int)(ackermann(3, 3) + (moves & 0xf));
}
