#include "t.h"
int area_exit(int argc, char **argv) {
  const char *how = argc > 1 ? argv[1] : "return";
  int code = argc > 2 ? atoi(argv[2]) : 0;
  printf("exiting via %s with %d\n", how, code);
  fflush(stdout);
  if (strcmp(how, "proc_exit") == 0) __wasi_proc_exit((__wasi_exitcode_t)code);
  if (strcmp(how, "exit") == 0) exit(code);
  if (strcmp(how, "abort") == 0) abort();
  return code;
}
