/* argv and exit codes: prints the arguments, parses numbers, exits with a computed status from a nested call. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int status;

static _Noreturn void finish(int code) {
  printf("exiting with %d\n", code);
  fflush(stdout);
  exit(code); /* proc_exit from inside a call chain */
}

static void visit(int depth, int code) {
  if (depth == 0) finish(code);
  visit(depth - 1, code);
  status = -1; /* never reached */
}

int main(int argc, char **argv) {
  printf("argc=%d\n", argc);
  long total = 0; int flags = 0;
  for (int i = 0; i < argc; i++) {
    printf("argv[%d]=\"%s\" (len %zu)\n", i, argv[i], strlen(argv[i]));
    if (i == 0) continue;
    char *end;
    long v = strtol(argv[i], &end, 0);
    if (*argv[i] && *end == '\0') { total += v; printf("  number %ld\n", v); }
    else if (argv[i][0] == '-' && argv[i][1] == '-') { flags++; printf("  flag %s\n", argv[i] + 2); }
    else printf("  word, %zu bytes, first '%c'\n", strlen(argv[i]), argv[i][0] ? argv[i][0] : '?');
  }
  printf("argv[argc] is %s\n", argv[argc] == NULL ? "NULL" : "set");
  printf("total=%ld flags=%d env HOME=%s\n", total, flags, getenv("HOME") ? "set" : "unset");
  if (argc < 2) return 99;
  visit(50, (int)((total + flags * 10 + argc) & 0xff));
  return status;
}
