#include "t.h"
extern char **environ;
static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }
int area_argsenv(int argc, char **argv) {
  printf("argc %d\n", argc);
  for (int i = 1; i < argc; i++) printf("arg %d [%s]\n", i, argv[i]);
  int n = 0;
  for (char **e = environ; *e; e++) n++;
  char **sorted = malloc((n + 1) * sizeof *sorted);
  memcpy(sorted, environ, n * sizeof *sorted);
  qsort(sorted, n, sizeof *sorted, cmp);
  printf("env count %d\n", n);
  for (int i = 0; i < n; i++) printf("env [%s]\n", sorted[i]);
  __wasi_size_t c, s;
  W("environ_sizes_get", __wasi_environ_sizes_get(&c, &s));
  printf("sizes %u %u\n", c, s);
  W("args_sizes_get", __wasi_args_sizes_get(&c, &s));
  printf("args count %u\n", c);
  return 0;
}
