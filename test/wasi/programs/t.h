/* Shared by the WASI test areas: each area is `int area_NAME(int argc, char **argv)`, printing
 * deterministic lines that kiln and Node's WASI must agree on (or kiln's expected values). */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wasi/api.h>

/* prints "label: ok" or "label: <errno name>" for a libc call returning <0 on failure */
#define T(label, expr)                                                                                           \
  do {                                                                                                           \
    errno = 0;                                                                                                   \
    long r_ = (long)(expr);                                                                                      \
    if (r_ < 0) printf("%s: %s\n", label, strerror(errno));                                                      \
    else printf("%s: ok\n", label);                                                                              \
  } while (0)
/* prints "label: <wasi errno number>" for a raw __wasi_* call */
#define W(label, expr) printf("%s: %d\n", label, (int)(expr))

static inline int write_file(const char *path, const char *text) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) return -1;
  ssize_t n = write(fd, text, strlen(text));
  close(fd);
  return n == (ssize_t)strlen(text) ? 0 : -1;
}

static inline void print_file(const char *label, const char *path) {
  char buf[256];
  int fd = open(path, O_RDONLY);
  if (fd < 0) {
    printf("%s: %s\n", label, strerror(errno));
    return;
  }
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  buf[n < 0 ? 0 : n] = 0;
  printf("%s: [%s]\n", label, buf);
}
