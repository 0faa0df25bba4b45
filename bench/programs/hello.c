/* Not a benchmark: the hello world whose process start-up time kiln bench measures. */
#include <stdio.h>
int main(void) { puts("hello, world"); return 0; }
