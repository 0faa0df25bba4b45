#include "t.h"
#include <dirent.h>
static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }
int area_readdir(int argc, char **argv) {
  (void)argc, (void)argv;
  mkdir("/sandbox/many", 0755);
  char path[64];
  for (int i = 0; i < 40; i++) {
    snprintf(path, sizeof path, "/sandbox/many/file-with-a-longish-name-%02d.txt", i);
    write_file(path, "x");
  }
  mkdir("/sandbox/many/subdir", 0755);
  /* libc readdir */
  DIR *d = opendir("/sandbox/many");
  char *names[64];
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d)))
    if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) names[n++] = strdup(e->d_name);
  closedir(d);
  qsort(names, n, sizeof *names, cmp);
  printf("libc readdir %d entries, first %s last %s\n", n, names[0], names[n - 1]);
  /* raw fd_readdir with a tiny buffer: cookies carry the position */
  int fd = open("/sandbox/many", O_RDONLY | O_DIRECTORY);
  uint8_t buf[100];
  __wasi_dircookie_t cookie = 0;
  int count = 0, calls = 0, dirs = 0, regs = 0;
  for (;;) {
    __wasi_size_t used;
    if (__wasi_fd_readdir(fd, buf, sizeof buf, cookie, &used) != 0) { printf("fd_readdir failed\n"); break; }
    calls++;
    size_t at = 0;
    int progressed = 0;
    while (at + sizeof(__wasi_dirent_t) <= used) {
      __wasi_dirent_t de;
      memcpy(&de, buf + at, sizeof de);
      if (at + sizeof de + de.d_namlen > used) break; /* truncated: ask again from this cookie */
      char name[256];
      memcpy(name, buf + at + sizeof de, de.d_namlen);
      name[de.d_namlen] = 0;
      if (strcmp(name, ".") && strcmp(name, "..")) {
        count++;
        if (de.d_type == __WASI_FILETYPE_DIRECTORY) dirs++;
        if (de.d_type == __WASI_FILETYPE_REGULAR_FILE) regs++;
      }
      cookie = de.d_next;
      at += sizeof de + de.d_namlen;
      progressed = 1;
    }
    if (used < sizeof buf) break;
    if (!progressed) { printf("no progress\n"); break; }
  }
  printf("raw readdir %d entries (%d dirs, %d files), several calls %d\n", count, dirs, regs, calls > 5);
  /* restart from cookie 0 gives the same count */
  __wasi_size_t used;
  __wasi_fd_readdir(fd, buf, sizeof buf, 0, &used);
  printf("restart used>0 %d\n", used > 0);
  W("readdir on file", __wasi_fd_readdir(0 + open("/sandbox/hello.txt", O_RDONLY), buf, sizeof buf, 0, &used) != 0);
  close(fd);
  return 0;
}
