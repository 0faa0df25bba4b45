#include "t.h"
int area_trunc(int argc, char **argv) {
  (void)argc, (void)argv;
  write_file("/sandbox/t.txt", "abcdefghij");
  int fd = open("/sandbox/t.txt", O_RDWR);
  struct stat st;
  T("shrink", ftruncate(fd, 4));
  fstat(fd, &st);
  printf("size %lld\n", (long long)st.st_size);
  T("grow", ftruncate(fd, 12));
  fstat(fd, &st);
  printf("size %lld\n", (long long)st.st_size);
  char buf[16] = {0};
  pread(fd, buf, 12, 0);
  printf("bytes %c%c%c%c %d %d\n", buf[0], buf[1], buf[2], buf[3], buf[4], buf[11]);
  T("negative", ftruncate(fd, -1));
  T("allocate", posix_fallocate(fd, 0, 100) == 0 ? 0 : -1);
  fstat(fd, &st);
  printf("size after allocate %lld\n", (long long)st.st_size);
  close(fd);
  fd = open("/sandbox/t.txt", O_WRONLY | O_TRUNC);
  T("open trunc", fd);
  fstat(fd, &st);
  printf("size after O_TRUNC %lld\n", (long long)st.st_size);
  close(fd);
  T("truncate path", truncate("/sandbox/t.txt", 7));
  stat("/sandbox/t.txt", &st);
  printf("size after truncate %lld\n", (long long)st.st_size);
  fd = open("/sandbox/t.txt", O_RDONLY);
  T("ftruncate read-only fd", ftruncate(fd, 1));
  close(fd);
  return 0;
}
