#include "t.h"
int area_seek(int argc, char **argv) {
  (void)argc, (void)argv;
  int fd = open("/sandbox/s.bin", O_RDWR | O_CREAT | O_TRUNC, 0644);
  write(fd, "0123456789", 10);
  printf("tell %lld\n", (long long)lseek(fd, 0, SEEK_CUR));
  printf("set 3 -> %lld\n", (long long)lseek(fd, 3, SEEK_SET));
  printf("cur +2 -> %lld\n", (long long)lseek(fd, 2, SEEK_CUR));
  printf("end -1 -> %lld\n", (long long)lseek(fd, -1, SEEK_END));
  char c;
  read(fd, &c, 1);
  printf("read %c\n", c);
  T("seek negative", lseek(fd, -100, SEEK_SET));
  char buf[8] = {0};
  T("pread", pread(fd, buf, 4, 2));
  printf("pread [%s] pos %lld\n", buf, (long long)lseek(fd, 0, SEEK_CUR));
  T("pwrite", pwrite(fd, "AB", 2, 4));
  printf("pos after pwrite %lld\n", (long long)lseek(fd, 0, SEEK_CUR));
  T("pwrite past end", pwrite(fd, "Z", 1, 15));
  struct stat st;
  fstat(fd, &st);
  printf("size %lld\n", (long long)st.st_size);
  memset(buf, 0, sizeof buf);
  T("pread hole", pread(fd, buf, 7, 9));
  printf("hole bytes %d %d %d %d %d %d %c\n", buf[0], buf[1], buf[2], buf[3], buf[4], buf[5], buf[6]);
  T("pread at eof", pread(fd, buf, 4, 100));
  __wasi_filesize_t pos;
  W("raw seek bad whence", __wasi_fd_seek(fd, 0, 7, &pos));
  W("raw tell", __wasi_fd_tell(fd, &pos));
  printf("raw pos %llu\n", (unsigned long long)pos);
  /* scatter/gather */
  char a[3], b[4];
  __wasi_iovec_t iov[2] = {{(uint8_t *)a, 3}, {(uint8_t *)b, 4}};
  __wasi_size_t nread;
  W("preadv", __wasi_fd_pread(fd, iov, 2, 0, &nread));
  printf("preadv %u [%.3s][%.4s]\n", nread, a, b);
  __wasi_ciovec_t ciov[2] = {{(const uint8_t *)"xy", 2}, {(const uint8_t *)"zw", 2}};
  __wasi_size_t nw;
  W("pwritev", __wasi_fd_pwrite(fd, ciov, 2, 0, &nw));
  printf("pwritev %u\n", nw);
  close(fd);
  print_file("final", "/sandbox/s.bin");
  T("lseek on closed", lseek(fd, 0, SEEK_SET));
  return 0;
}
