#include "t.h"
#include <sys/time.h>
int area_stat(int argc, char **argv) {
  (void)argc, (void)argv;
  struct stat st;
  T("stat hello", stat("/sandbox/hello.txt", &st));
  printf("size %lld reg %d nlink %d\n", (long long)st.st_size, S_ISREG(st.st_mode), (int)st.st_nlink);
  T("stat sub", stat("/sandbox/sub", &st));
  printf("dir %d\n", S_ISDIR(st.st_mode));
  T("stat missing", stat("/sandbox/missing", &st));
  struct timespec ts[2] = {{1000000000, 123456789}, {1500000000, 987654321}};
  T("utimensat", utimensat(AT_FDCWD, "/sandbox/hello.txt", ts, 0));
  stat("/sandbox/hello.txt", &st);
  printf("atime %lld.%09ld mtime %lld.%09ld\n", (long long)st.st_atim.tv_sec, st.st_atim.tv_nsec, (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
  struct timespec omit[2] = {{0, UTIME_OMIT}, {1600000000, 5}};
  T("utimensat omit atime", utimensat(AT_FDCWD, "/sandbox/hello.txt", omit, 0));
  stat("/sandbox/hello.txt", &st);
  printf("atime %lld mtime %lld.%09ld\n", (long long)st.st_atim.tv_sec, (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
  int fd = open("/sandbox/hello.txt", O_RDWR);
  struct timespec f2[2] = {{1700000000, 0}, {1700000001, 0}};
  T("futimens", futimens(fd, f2));
  struct stat fst;
  T("fstat", fstat(fd, &fst));
  printf("fstat atime %lld mtime %lld size %lld\n", (long long)fst.st_atim.tv_sec, (long long)fst.st_mtim.tv_sec, (long long)fst.st_size);
  /* raw call: the sysroot's headers disagree about UTIME_NOW's value */
  W("set times now", __wasi_fd_filestat_set_times(fd, 0, 0, __WASI_FSTFLAGS_MTIM_NOW));
  fstat(fd, &fst);
  printf("now is recent %d\n", fst.st_mtim.tv_sec > 1700000001);
  close(fd);
  /* raw: both ATIM and ATIM_NOW is EINVAL */
  W("set_times conflicting", __wasi_path_filestat_set_times(3, 0, "hello.txt", 1, 1, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_ATIM_NOW));
  __wasi_filestat_t fs;
  W("path_filestat_get", __wasi_path_filestat_get(3, 0, "sub", &fs));
  printf("filetype %d\n", fs.filetype);
  __wasi_fdstat_t fds;
  W("fdstat preopen", __wasi_fd_fdstat_get(3, &fds));
  printf("preopen filetype %d\n", fds.fs_filetype);
  return 0;
}
