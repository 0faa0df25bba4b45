/* Dispatcher: `prog AREA args...` runs one test area (one wasm for all areas keeps the
 * suite to one compile per target). */
#include <stdio.h>
#include <string.h>
#define AREAS(X) X(files) X(dirs) X(readdir) X(stat) X(links) X(seek) X(trunc) X(clocks) X(random) X(poll) \
  X(argsenv) X(exit) X(stdin) X(sandbox) X(robust) X(sock)
#define DECL(n) int area_##n(int argc, char **argv);
AREAS(DECL)
int main(int argc, char **argv) {
  if (argc < 2) return 100;
#define RUN(n) if (strcmp(argv[1], #n) == 0) return area_##n(argc - 1, argv + 1);
  AREAS(RUN)
  printf("unknown area %s\n", argv[1]);
  return 101;
}
