/* Host functions given bad pointers, lengths and counts: every one must fail with an errno
 * (21 EFAULT, 28 EINVAL, 8 EBADF, 37 ENAMETOOLONG), nothing may crash, and the guest bytes
 * next to the end of memory must be untouched. */
#include "t.h"
#define END ((uint32_t)(__builtin_wasm_memory_size(0) * 65536u))
#define AT(a) ((void *)(uintptr_t)(a))
/* Raw imports: wasi-libc's wrappers take strlen() of paths, which would itself fault. */
#define RAW(name) __attribute__((import_module("wasi_snapshot_preview1"), import_name(#name)))
RAW(path_open) int32_t raw_path_open(int32_t, int32_t, int32_t, int32_t, int32_t, int64_t, int64_t, int32_t, int32_t);
RAW(path_create_directory) int32_t raw_mkdir(int32_t, int32_t, int32_t);
RAW(path_unlink_file) int32_t raw_unlink(int32_t, int32_t, int32_t);
RAW(path_symlink) int32_t raw_symlink(int32_t, int32_t, int32_t, int32_t, int32_t);
RAW(path_filestat_get) int32_t raw_path_filestat_get(int32_t, int32_t, int32_t, int32_t, int32_t);
RAW(path_readlink) int32_t raw_readlink(int32_t, int32_t, int32_t, int32_t, int32_t, int32_t);
#define P(x) ((int32_t)(uintptr_t)(x))
int area_robust(int argc, char **argv) {
  (void)argc, (void)argv;
  uint32_t end = END;
  uint8_t *tail = AT(end - 16);
  memset(tail, 0xA5, 16);
  __wasi_size_t n;
  char buf[32];
  __wasi_ciovec_t ok = {(const uint8_t *)"x", 1};
  __wasi_ciovec_t bad_buf = {AT(end - 4), 8};
  __wasi_ciovec_t wrap = {AT(0xfffffff0u), 0x20};
  __wasi_ciovec_t huge = {(const uint8_t *)buf, 0xffffffffu};
  W("iovs array past end", __wasi_fd_write(1, AT(end - 4), 1, &n));
  W("iovs array at 4G-8", __wasi_fd_write(1, AT(0xfffffff8u), 2, &n));
  W("buffer past end", __wasi_fd_write(1, &bad_buf, 1, &n));
  W("buffer wrapping", __wasi_fd_write(1, &wrap, 1, &n));
  W("buffer length 4G-1", __wasi_fd_write(1, &huge, 1, &n));
  W("result past end", __wasi_fd_write(1, &ok, 1, AT(end - 2)));
  W("result at 4G-1", __wasi_fd_write(1, &ok, 1, AT(0xffffffffu)));
  W("iov count 2^29", __wasi_fd_write(1, &ok, 0x20000000u, &n));
  W("iov count 2^32-1", __wasi_fd_write(1, &ok, 0xffffffffu, &n));
  W("iov count 1025", __wasi_fd_write(1, &ok, 1025, &n));
  __wasi_iovec_t rbad = {AT(end - 8), 16};
  W("read into past end", __wasi_fd_read(0, &rbad, 1, &n));
  W("pread into past end", __wasi_fd_pread(0, &rbad, 1, 0, &n));
  W("path past end", raw_path_open(3, 0, P(end - 3), 8, 0, 0, 0, 0, P(buf)));
  W("path length 4G-1", raw_mkdir(3, P(buf), -1));
  static char longpath[5000];
  memset(longpath, 'a', sizeof longpath - 1);
  W("path too long", raw_mkdir(3, P(longpath), 4999));
  W("path with NUL", raw_unlink(3, P("a\0b"), 3));
  W("opened fd result past end", raw_path_open(3, 0, P("hello.txt"), 9, 0, 0, 0, 0, P(end - 1)));
  W("prestat name past end", __wasi_fd_prestat_dir_name(3, AT(end - 2), 8));
  W("prestat name too short", __wasi_fd_prestat_dir_name(3, (uint8_t *)buf, 2));
  W("args_get past end", __wasi_args_get(AT(end - 4), (uint8_t *)buf));
  W("args buf past end", __wasi_args_get((uint8_t **)buf, AT(end - 1)));
  W("args_sizes past end", __wasi_args_sizes_get(AT(end), (__wasi_size_t *)buf));
  W("environ_get past end", __wasi_environ_get(AT(0xfffffffcu), (uint8_t *)buf));
  W("clock result past end", __wasi_clock_time_get(0, 1, AT(end - 4)));
  W("clock res past end", __wasi_clock_res_get(0, AT(end - 7)));
  W("random past end", __wasi_random_get(AT(end - 10), 20));
  W("random length 4G-1", __wasi_random_get((uint8_t *)buf, 0xffffffffu));
  W("fdstat past end", __wasi_fd_fdstat_get(1, AT(end - 20)));
  W("filestat past end", __wasi_fd_filestat_get(1, AT(end - 60)));
  W("path_filestat past end", raw_path_filestat_get(3, 0, P("hello.txt"), 9, P(end - 60)));
  W("readdir buffer past end", __wasi_fd_readdir(3, AT(end - 10), 100, 0, &n));
  W("readdir used past end", __wasi_fd_readdir(3, (uint8_t *)buf, sizeof buf, 0, AT(end - 3)));
  W("readlink buffer past end", raw_readlink(3, P("hello.txt"), 9, P(end - 3), 100, P(&n)));
  W("seek result past end", __wasi_fd_seek(0, 0, 0, AT(end - 7)));
  W("tell result past end", __wasi_fd_tell(1, AT(end - 4)));
  __wasi_event_t ev;
  W("poll subs past end", __wasi_poll_oneoff(AT(end - 40), &ev, 1, &n));
  W("poll events past end", __wasi_poll_oneoff((const __wasi_subscription_t *)buf, AT(end - 16), 1, &n));
  W("poll count huge", __wasi_poll_oneoff((const __wasi_subscription_t *)buf, &ev, 0x10000000u, &n));
  W("poll count 2^32-1", __wasi_poll_oneoff((const __wasi_subscription_t *)buf, &ev, 0xffffffffu, &n));
  W("close fd 2^31-1", __wasi_fd_close(0x7fffffff));
  W("close fd -1", __wasi_fd_close((__wasi_fd_t)-1));
  W("renumber to bad", __wasi_fd_renumber(1, 99999));
  W("symlink contents past end", raw_symlink(P(end - 2), 8, 3, P("l"), 1));
  W("sock_recv result past end", __wasi_sock_recv(0, (const __wasi_iovec_t *)&rbad, 0, 0, AT(end - 2), (__wasi_roflags_t *)buf));
  int intact = 1;
  for (int i = 0; i < 16; i++) intact &= tail[i] == 0xA5;
  printf("tail intact %d\n", intact);
  /* overlapping buffers: iovecs overlapping each other and the iovec array itself */
  int fd = open("/sandbox/hello.txt", O_RDONLY);
  static uint8_t area[64];
  memset(area, '.', sizeof area);
  __wasi_iovec_t *iov = (__wasi_iovec_t *)area; /* the array lives in the destination */
  iov[0] = (__wasi_iovec_t){area + 4, 6};
  iov[1] = (__wasi_iovec_t){area + 2, 6};
  W("overlapping read", __wasi_fd_read(fd, iov, 2, &n));
  printf("read %u as expected %d\n", (unsigned)n, memcmp(area + 2, "world\no ", 8) == 0);
  __wasi_fd_close(fd);
  /* poll with events written over the subscriptions */
  static uint8_t both[64];
  __wasi_subscription_t *s = (__wasi_subscription_t *)both;
  memset(both, 0, sizeof both);
  s->userdata = 99;
  s->u.tag = __WASI_EVENTTYPE_CLOCK;
  s->u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
  s->u.u.clock.timeout = 1000;
  W("poll in place", __wasi_poll_oneoff(s, (__wasi_event_t *)both, 1, &n));
  printf("event userdata %llu\n", (unsigned long long)((__wasi_event_t *)both)->userdata);
  /* args written over their own pointer array */
  __wasi_size_t argc2, argsz;
  __wasi_args_sizes_get(&argc2, &argsz);
  static uint8_t ab[256];
  W("args overlapping", __wasi_args_get((uint8_t **)ab, ab + 2));
  printf("still alive\n");
  return 0;
}
