/* A program that traps after printing: flushed output survives, the trap is reported, exit 134. */
#include <stdio.h>

static volatile int divisor = 3;

static int step(int x) { return 100 / (divisor - x); }

int main(void) {
  int total = 0;
  for (int i = 0; i < 10; i++) {
    total += step(i % 3); /* the fifth call divides by zero */
    printf("step %d total %d\n", i, total);
    fflush(stdout);
    if (i == 2) divisor = 1;
  }
  printf("not reached\n");
  return total;
}
