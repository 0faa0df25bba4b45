/* Escape attempts. fd 3 is the read-write preopen (/sandbox), fd 4 the read-only one (/ro).
 * Every result is printed as a WASI errno number; the test knows which must be 76
 * (ENOTCAPABLE), 32 (ELOOP) and so on. */
#include "t.h"
#define RW 3
#define RO 4
#define ALL ((__wasi_rights_t)0x3fffffff)
static int po(int dir, int follow, const char *p, int oflags, __wasi_fd_t *out) {
  return __wasi_path_open(dir, follow ? __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW : 0, p, oflags, ALL, ALL, 0, out);
}
static void try_open(const char *label, int dir, int follow, const char *p, int oflags) {
  __wasi_fd_t fd = 0;
  int e = po(dir, follow, p, oflags, &fd);
  printf("%s: %d", label, e);
  if (e == 0) {
    char buf[64] = {0};
    __wasi_iovec_t iov = {(uint8_t *)buf, sizeof buf - 1};
    __wasi_size_t n = 0;
    __wasi_fd_read(fd, &iov, 1, &n);
    for (char *c = buf; *c; c++) if (*c == '\n') *c = '|';
    printf(" [%s]", buf);
    __wasi_fd_close(fd);
  }
  printf("\n");
}
int area_sandbox(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "nogrant") == 0) {
    __wasi_prestat_t ps;
    W("prestat 3", __wasi_fd_prestat_get(3, &ps));
    __wasi_fd_t fd;
    W("raw open fd 3", po(3, 0, "hello.txt", 0, &fd));
    T("libc open", open("/sandbox/hello.txt", O_RDONLY));
    T("libc open relative", open("hello.txt", O_RDONLY));
    T("libc mkdir", mkdir("/tmp/kiln-should-not-exist", 0755));
    __wasi_size_t c, s;
    __wasi_environ_sizes_get(&c, &s);
    printf("environ %u %u\n", c, s);
    return 0;
  }
  try_open("dotdot", RW, 0, "../outside/secret.txt", 0);
  try_open("dotdot nested", RW, 0, "sub/../../outside/secret.txt", 0);
  try_open("dotdot alone", RW, 0, "..", 0);
  try_open("absolute", RW, 0, "/etc/passwd", 0);
  try_open("absolute to own file", RW, 0, "/hello.txt", 0);
  try_open("abs symlink", RW, 1, "abs_link", 0);
  try_open("rel symlink", RW, 1, "rel_link", 0);
  try_open("dir symlink", RW, 1, "dir_link/secret.txt", 0);
  try_open("dir symlink nofollow", RW, 0, "dir_link/secret.txt", 0);
  try_open("deep rel symlink", RW, 1, "sub/deep_rel", 0);
  try_open("symlink nofollow", RW, 0, "rel_link", 0);
  try_open("trailing slash link", RW, 0, "dir_link/", 0);
  try_open("loop", RW, 1, "loop1", 0);
  try_open("self loop", RW, 1, "self", 0);
  try_open("chain 40", RW, 1, "c40", 0);
  try_open("chain 41", RW, 1, "c41", 0);
  try_open("inside link", RW, 1, "in_link", 0);
  try_open("inside up link", RW, 1, "up_ok", 0);
  try_open("inside dotdot", RW, 0, "sub/../hello.txt", 0);
  try_open("create via dotdot", RW, 0, "../outside/new.txt", __WASI_OFLAGS_CREAT);
  try_open("create via dir link", RW, 1, "dir_link/new.txt", __WASI_OFLAGS_CREAT);
  try_open("create via dangling abs", RW, 1, "dangling_abs", __WASI_OFLAGS_CREAT);
  try_open("trunc via rel link", RW, 1, "rel_link", __WASI_OFLAGS_TRUNC);
  W("mkdir outside", __wasi_path_create_directory(RW, "../outside/newdir"));
  W("mkdir via link", __wasi_path_create_directory(RW, "dir_link/newdir"));
  W("rmdir outside", __wasi_path_remove_directory(RW, "../outside"));
  W("unlink outside", __wasi_path_unlink_file(RW, "../outside/secret.txt"));
  W("unlink via link dir", __wasi_path_unlink_file(RW, "dir_link/secret.txt"));
  W("rename out", __wasi_path_rename(RW, "hello.txt", RW, "../outside/moved.txt"));
  W("rename in", __wasi_path_rename(RW, "../outside/secret.txt", RW, "stolen.txt"));
  W("rename via link dir", __wasi_path_rename(RW, "dir_link/secret.txt", RW, "stolen.txt"));
  W("link out", __wasi_path_link(RW, 0, "hello.txt", RW, "../outside/hl.txt"));
  W("link in", __wasi_path_link(RW, 0, "../outside/secret.txt", RW, "hl.txt"));
  W("link follow rel_link", __wasi_path_link(RW, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "rel_link", RW, "hl.txt"));
  W("symlink absolute", __wasi_path_symlink("/etc/passwd", RW, "mylink"));
  W("symlink relative escaping", __wasi_path_symlink("../outside/secret.txt", RW, "esc"));
  try_open("follow own escaping link", RW, 1, "esc", 0);
  W("symlink placed outside", __wasi_path_symlink("hello.txt", RW, "../outside/planted"));
  __wasi_filestat_t st;
  W("stat outside", __wasi_path_filestat_get(RW, 0, "../outside/secret.txt", &st));
  W("stat follow abs link", __wasi_path_filestat_get(RW, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "abs_link", &st));
  W("stat nofollow abs link", __wasi_path_filestat_get(RW, 0, "abs_link", &st));
  printf("filetype: %d\n", st.filetype);
  W("set times outside", __wasi_path_filestat_set_times(RW, 0, "../outside/secret.txt", 1, 1, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM));
  W("set times via link", __wasi_path_filestat_set_times(RW, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "rel_link", 1, 1, __WASI_FSTFLAGS_MTIM));
  char buf[64];
  __wasi_size_t used;
  W("readlink outside", __wasi_path_readlink(RW, "../outside/x", (uint8_t *)buf, sizeof buf, &used));
  /* a directory descriptor is itself a root */
  __wasi_fd_t sub;
  W("open sub", po(RW, 0, "sub", __WASI_OFLAGS_DIRECTORY, &sub));
  try_open("from sub: dotdot", sub, 0, "../hello.txt", 0);
  try_open("from sub: inner", sub, 0, "inner.txt", 0);
  /* read-only preopen */
  try_open("ro read", RO, 0, "data.txt", 0);
  try_open("ro create", RO, 0, "new.txt", __WASI_OFLAGS_CREAT);
  try_open("ro trunc", RO, 0, "data.txt", __WASI_OFLAGS_TRUNC);
  __wasi_fd_t rf;
  W("ro open all rights", po(RO, 0, "data.txt", 0, &rf));
  W("ro open read rights", __wasi_path_open(RO, 0, "data.txt", 0, __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_FILESTAT_GET, 0, 0, &rf));
  __wasi_ciovec_t civ = {(const uint8_t *)"pwned", 5};
  __wasi_size_t nw;
  W("ro write", __wasi_fd_write(rf, &civ, 1, &nw));
  W("ro set size", __wasi_fd_filestat_set_size(rf, 0));
  W("ro set times", __wasi_fd_filestat_set_times(rf, 1, 1, __WASI_FSTFLAGS_MTIM));
  W("ro append open", __wasi_path_open(RO, 0, "data.txt", 0, ALL, ALL, __WASI_FDFLAGS_APPEND, &rf));
  W("ro mkdir", __wasi_path_create_directory(RO, "d"));
  W("ro unlink", __wasi_path_unlink_file(RO, "data.txt"));
  W("ro rename out", __wasi_path_rename(RO, "data.txt", RW, "taken.txt"));
  W("ro link out", __wasi_path_link(RO, 0, "data.txt", RW, "taken.txt"));
  W("ro symlink", __wasi_path_symlink("data.txt", RO, "l"));
  W("rights can only shrink", __wasi_fd_fdstat_set_rights(RO, ALL, ALL));
  /* wasi-libc masks its request with the preopen's inheriting rights, so the open succeeds
   * without any write right and the write itself is refused */
  int wfd = open("/ro/data.txt", O_WRONLY);
  T("ro libc write open", wfd);
  T("ro libc write", write(wfd, "x", 1));
  T("ro libc read open", open("/ro/data.txt", O_RDONLY) >= 0 ? 0 : -1);
  char sb[8];
  __wasi_size_t su = 0;
  W("readlink truncates", __wasi_path_readlink(RW, "in_link", (uint8_t *)sb, 3, &su) * 100 + (int)su);
  printf("done: 1\n");
  return 0;
}
