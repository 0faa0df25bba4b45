/*
 * WASI preview1 (wasi_snapshot_preview1), capabilities denied by default: no preopened
 * directory, no environment, only stdio. Host functions are plain C functions with the
 * compiled-code ABI: the first argument is a vmctx — here the *importing* instance's vmctx
 * (set at link time), so every guest pointer is checked against that instance's memory 0.
 */
#include "kiln_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

enum {
  E_SUCCESS = 0, E_2BIG = 1, E_ACCES = 2, E_AGAIN = 6, E_BADF = 8, E_FAULT = 21, E_FBIG = 22, E_INTR = 27,
  E_INVAL = 28, E_IO = 29, E_ISDIR = 31, E_NOMEM = 48, E_NOSPC = 51, E_NOSYS = 52, E_PERM = 63, E_PIPE = 64,
  E_SPIPE = 70, E_NOTCAPABLE = 76,
};
enum { FT_UNKNOWN = 0, FT_BLOCK = 1, FT_CHAR = 2, FT_DIR = 3, FT_REG = 4, FT_SOCK_STREAM = 6, FT_SYMLINK = 7 };
#define RIGHT_FD_SEEK (1ull << 2)
#define RIGHT_FD_TELL (1ull << 5)

static int guest_argc;
static char **guest_argv;

void kiln_wasi_set_args(int argc, char **argv) {
  guest_argc = argc;
  guest_argv = argv;
}

/* ---- guest memory access: every pointer is bounds-checked against memory 0 ---- */

static uint8_t *gptr(kiln_vmctx_t *vm, uint32_t ptr, uint64_t len) {
  if ((uint64_t)ptr + len > vm->mem0_bound) return NULL;
  return vm->mem0_base + ptr;
}
static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static void put64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }
static uint32_t get32(const uint8_t *p) {
  uint32_t v;
  memcpy(&v, p, 4);
  return v;
}

static int32_t host_errno(int e) {
  switch (e) {
  case EBADF: return E_BADF;
  case EAGAIN: return E_AGAIN;
  case EPIPE: return E_PIPE;
  case EINVAL: return E_INVAL;
  case ENOSPC: return E_NOSPC;
  case ESPIPE: return E_SPIPE;
  case EISDIR: return E_ISDIR;
  case EACCES: return E_ACCES;
  case EPERM: return E_PERM;
  case EFBIG: return E_FBIG;
  case ENOMEM: return E_NOMEM;
  case EINTR: return E_INTR;
  default: return E_IO;
  }
}

/* ---- descriptors: stdio only for now (preopens come with --dir) ---- */

#define MAX_FDS 3
static bool fd_closed[MAX_FDS];

static int host_fd(int32_t fd) {
  if (fd < 0 || fd >= MAX_FDS || fd_closed[fd]) return -1;
  return fd;
}

/* ---- args and environment ---- */

static int32_t args_sizes_get(kiln_vmctx_t *vm, uint32_t argc_ptr, uint32_t size_ptr) {
  uint8_t *a = gptr(vm, argc_ptr, 4), *s = gptr(vm, size_ptr, 4);
  if (!a || !s) return E_FAULT;
  uint64_t size = 0;
  for (int i = 0; i < guest_argc; i++) size += strlen(guest_argv[i]) + 1;
  put32(a, (uint32_t)guest_argc);
  put32(s, (uint32_t)size);
  return E_SUCCESS;
}

static int32_t args_get(kiln_vmctx_t *vm, uint32_t argv_ptr, uint32_t buf_ptr) {
  uint8_t *av = gptr(vm, argv_ptr, (uint64_t)guest_argc * 4);
  if (!av) return E_FAULT;
  uint32_t at = buf_ptr;
  for (int i = 0; i < guest_argc; i++) {
    size_t n = strlen(guest_argv[i]) + 1;
    uint8_t *dst = gptr(vm, at, n);
    if (!dst) return E_FAULT;
    memcpy(dst, guest_argv[i], n);
    put32(av + 4 * i, at);
    at += (uint32_t)n;
  }
  return E_SUCCESS;
}

static int32_t environ_sizes_get(kiln_vmctx_t *vm, uint32_t count_ptr, uint32_t size_ptr) {
  uint8_t *c = gptr(vm, count_ptr, 4), *s = gptr(vm, size_ptr, 4);
  if (!c || !s) return E_FAULT;
  put32(c, 0); /* default deny: no environment variables */
  put32(s, 0);
  return E_SUCCESS;
}

static int32_t environ_get(kiln_vmctx_t *vm, uint32_t env_ptr, uint32_t buf_ptr) {
  (void)vm, (void)env_ptr, (void)buf_ptr;
  return E_SUCCESS;
}

/* ---- fd I/O ---- */

typedef ssize_t (*io_fn)(int, void *, size_t);

static int32_t do_io(kiln_vmctx_t *vm, int32_t fd, uint32_t iovs, uint32_t iovs_len, uint32_t result_ptr, bool writing) {
  int h = host_fd(fd);
  if (h < 0) return E_BADF;
  uint8_t *res = gptr(vm, result_ptr, 4);
  uint8_t *iov = gptr(vm, iovs, (uint64_t)iovs_len * 8);
  if (!res || !iov) return E_FAULT;
  uint64_t total = 0;
  for (uint32_t i = 0; i < iovs_len; i++) {
    uint32_t buf = get32(iov + 8 * i), len = get32(iov + 8 * i + 4);
    uint8_t *p = gptr(vm, buf, len);
    if (!p) return E_FAULT;
    size_t done = 0;
    while (done < len) {
      ssize_t n = writing ? write(h, p + done, len - done) : read(h, p + done, len - done);
      if (n < 0) {
        if (errno == EINTR) continue;
        if (total + done > 0) break; /* report the partial transfer */
        return host_errno(errno);
      }
      if (n == 0) break;
      done += (size_t)n;
      if (!writing) break; /* a short read ends the transfer */
    }
    total += done;
    if (done < len) break;
  }
  put32(res, (uint32_t)total);
  return E_SUCCESS;
}

static int32_t fd_write(kiln_vmctx_t *vm, int32_t fd, uint32_t iovs, uint32_t n, uint32_t nwritten) {
  return do_io(vm, fd, iovs, n, nwritten, true);
}

static int32_t fd_read(kiln_vmctx_t *vm, int32_t fd, uint32_t iovs, uint32_t n, uint32_t nread) {
  return do_io(vm, fd, iovs, n, nread, false);
}

static int32_t fd_close(kiln_vmctx_t *vm, int32_t fd) {
  (void)vm;
  int h = host_fd(fd);
  if (h < 0) return E_BADF;
  fd_closed[fd] = true;
  close(h);
  return E_SUCCESS;
}

static int32_t fd_seek(kiln_vmctx_t *vm, int32_t fd, int64_t offset, uint32_t whence, uint32_t newoffset_ptr) {
  int h = host_fd(fd);
  if (h < 0) return E_BADF;
  uint8_t *out = gptr(vm, newoffset_ptr, 8);
  if (!out) return E_FAULT;
  int w;
  switch (whence & 0xff) {
  case 0: w = SEEK_SET; break;
  case 1: w = SEEK_CUR; break;
  case 2: w = SEEK_END; break;
  default: return E_INVAL;
  }
  off_t r = lseek(h, (off_t)offset, w);
  if (r < 0) return host_errno(errno);
  put64(out, (uint64_t)r);
  return E_SUCCESS;
}

static int32_t fd_tell(kiln_vmctx_t *vm, int32_t fd, uint32_t offset_ptr) {
  return fd_seek(vm, fd, 0, 1, offset_ptr);
}

static uint8_t filetype_of(mode_t m) {
  if (S_ISREG(m)) return FT_REG;
  if (S_ISDIR(m)) return FT_DIR;
  if (S_ISCHR(m)) return FT_CHAR;
  if (S_ISBLK(m)) return FT_BLOCK;
  if (S_ISSOCK(m)) return FT_SOCK_STREAM;
  if (S_ISLNK(m)) return FT_SYMLINK;
  return FT_UNKNOWN;
}

static int32_t fd_fdstat_get(kiln_vmctx_t *vm, int32_t fd, uint32_t stat_ptr) {
  int h = host_fd(fd);
  if (h < 0) return E_BADF;
  uint8_t *p = gptr(vm, stat_ptr, 24);
  if (!p) return E_FAULT;
  struct stat st;
  if (fstat(h, &st) != 0) return host_errno(errno);
  int fl = fcntl(h, F_GETFL);
  uint8_t ft = filetype_of(st.st_mode);
  uint16_t flags = 0;
  if (fl >= 0 && (fl & O_APPEND)) flags |= 1;
  if (fl >= 0 && (fl & O_NONBLOCK)) flags |= 4;
  uint64_t rights = (1ull << 30) - 1; /* all preview1 rights */
  if (ft == FT_CHAR || !S_ISREG(st.st_mode)) rights &= ~(RIGHT_FD_SEEK | RIGHT_FD_TELL); /* isatty() needs this */
  memset(p, 0, 24);
  p[0] = ft;
  memcpy(p + 2, &flags, 2);
  put64(p + 8, rights);
  put64(p + 16, 0);
  return E_SUCCESS;
}

static int32_t fd_filestat_get(kiln_vmctx_t *vm, int32_t fd, uint32_t buf_ptr) {
  int h = host_fd(fd);
  if (h < 0) return E_BADF;
  uint8_t *p = gptr(vm, buf_ptr, 64);
  if (!p) return E_FAULT;
  struct stat st;
  if (fstat(h, &st) != 0) return host_errno(errno);
  memset(p, 0, 64);
  put64(p + 0, (uint64_t)st.st_dev);
  put64(p + 8, (uint64_t)st.st_ino);
  p[16] = filetype_of(st.st_mode);
  put64(p + 24, (uint64_t)st.st_nlink);
  put64(p + 32, (uint64_t)st.st_size);
  put64(p + 40, (uint64_t)st.st_atim.tv_sec * 1000000000ull + (uint64_t)st.st_atim.tv_nsec);
  put64(p + 48, (uint64_t)st.st_mtim.tv_sec * 1000000000ull + (uint64_t)st.st_mtim.tv_nsec);
  put64(p + 56, (uint64_t)st.st_ctim.tv_sec * 1000000000ull + (uint64_t)st.st_ctim.tv_nsec);
  return E_SUCCESS;
}

static int32_t fd_fdstat_set_flags(kiln_vmctx_t *vm, int32_t fd, uint32_t flags) {
  (void)vm, (void)flags;
  return host_fd(fd) < 0 ? E_BADF : E_NOTCAPABLE;
}

/* No preopens yet: every descriptor is "not a preopen". */
static int32_t fd_prestat_get(kiln_vmctx_t *vm, int32_t fd, uint32_t ptr) {
  (void)vm, (void)fd, (void)ptr;
  return E_BADF;
}

static int32_t fd_prestat_dir_name(kiln_vmctx_t *vm, int32_t fd, uint32_t ptr, uint32_t len) {
  (void)vm, (void)fd, (void)ptr, (void)len;
  return E_BADF;
}

/* ---- clocks, randomness, process ---- */

static bool clock_of(uint32_t id, clockid_t *out) {
  switch (id) {
  case 0: *out = CLOCK_REALTIME; return true;
  case 1: *out = CLOCK_MONOTONIC; return true;
  case 2: *out = CLOCK_PROCESS_CPUTIME_ID; return true;
  case 3: *out = CLOCK_THREAD_CPUTIME_ID; return true;
  default: return false;
  }
}

static int32_t clock_res_get(kiln_vmctx_t *vm, uint32_t id, uint32_t res_ptr) {
  clockid_t c;
  if (!clock_of(id, &c)) return E_INVAL;
  uint8_t *p = gptr(vm, res_ptr, 8);
  if (!p) return E_FAULT;
  struct timespec ts;
  if (clock_getres(c, &ts) != 0) return host_errno(errno);
  put64(p, (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec);
  return E_SUCCESS;
}

static int32_t clock_time_get(kiln_vmctx_t *vm, uint32_t id, uint64_t precision, uint32_t time_ptr) {
  (void)precision;
  clockid_t c;
  if (!clock_of(id, &c)) return E_INVAL;
  uint8_t *p = gptr(vm, time_ptr, 8);
  if (!p) return E_FAULT;
  struct timespec ts;
  if (clock_gettime(c, &ts) != 0) return host_errno(errno);
  put64(p, (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec);
  return E_SUCCESS;
}

static int32_t random_get(kiln_vmctx_t *vm, uint32_t buf, uint32_t len) {
  uint8_t *p = gptr(vm, buf, len);
  if (!p) return E_FAULT;
  size_t done = 0;
  while (done < len) {
    ssize_t n = getrandom(p + done, len - done, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      return host_errno(errno);
    }
    done += (size_t)n;
  }
  return E_SUCCESS;
}

static _Noreturn void proc_exit(kiln_vmctx_t *vm, uint32_t code) {
  (void)vm;
  exit((int)code);
}

static int32_t sched_yield_(kiln_vmctx_t *vm) {
  (void)vm;
  return E_SUCCESS;
}

/* Functions of preview1 not supported yet, with their signatures so imports still link. */
static int32_t stub_badf(void) { return E_BADF; }
static int32_t stub_nosys(void) { return E_NOSYS; }

typedef struct {
  const char *name;
  const char *sig;
  void *fn;
} host_func;

static const host_func wasi_funcs[] = {
    {"args_get", "ii>i", (void *)args_get},
    {"args_sizes_get", "ii>i", (void *)args_sizes_get},
    {"environ_get", "ii>i", (void *)environ_get},
    {"environ_sizes_get", "ii>i", (void *)environ_sizes_get},
    {"clock_res_get", "ii>i", (void *)clock_res_get},
    {"clock_time_get", "iIi>i", (void *)clock_time_get},
    {"fd_close", "i>i", (void *)fd_close},
    {"fd_fdstat_get", "ii>i", (void *)fd_fdstat_get},
    {"fd_fdstat_set_flags", "ii>i", (void *)fd_fdstat_set_flags},
    {"fd_filestat_get", "ii>i", (void *)fd_filestat_get},
    {"fd_prestat_get", "ii>i", (void *)fd_prestat_get},
    {"fd_prestat_dir_name", "iii>i", (void *)fd_prestat_dir_name},
    {"fd_read", "iiii>i", (void *)fd_read},
    {"fd_seek", "iIii>i", (void *)fd_seek},
    {"fd_tell", "ii>i", (void *)fd_tell},
    {"fd_write", "iiii>i", (void *)fd_write},
    {"proc_exit", "i>", (void *)proc_exit},
    {"random_get", "ii>i", (void *)random_get},
    {"sched_yield", ">i", (void *)sched_yield_},
    /* not yet supported: */
    {"fd_advise", "iIIi>i", (void *)stub_badf},
    {"fd_allocate", "iII>i", (void *)stub_badf},
    {"fd_datasync", "i>i", (void *)stub_badf},
    {"fd_fdstat_set_rights", "iII>i", (void *)stub_badf},
    {"fd_filestat_set_size", "iI>i", (void *)stub_badf},
    {"fd_filestat_set_times", "iIIi>i", (void *)stub_badf},
    {"fd_pread", "iiiIi>i", (void *)stub_badf},
    {"fd_pwrite", "iiiIi>i", (void *)stub_badf},
    {"fd_readdir", "iiiIi>i", (void *)stub_badf},
    {"fd_renumber", "ii>i", (void *)stub_badf},
    {"fd_sync", "i>i", (void *)stub_badf},
    {"path_create_directory", "iii>i", (void *)stub_badf},
    {"path_filestat_get", "iiiii>i", (void *)stub_badf},
    {"path_filestat_set_times", "iiiiIIi>i", (void *)stub_badf},
    {"path_link", "iiiiiii>i", (void *)stub_badf},
    {"path_open", "iiiiiIIii>i", (void *)stub_badf},
    {"path_readlink", "iiiiii>i", (void *)stub_badf},
    {"path_remove_directory", "iii>i", (void *)stub_badf},
    {"path_rename", "iiiiii>i", (void *)stub_badf},
    {"path_symlink", "iiiii>i", (void *)stub_badf},
    {"path_unlink_file", "iii>i", (void *)stub_badf},
    {"poll_oneoff", "iiii>i", (void *)stub_nosys},
    {"proc_raise", "i>i", (void *)stub_nosys},
    {"sock_accept", "iii>i", (void *)stub_badf},
    {"sock_recv", "iiiiii>i", (void *)stub_badf},
    {"sock_send", "iiiii>i", (void *)stub_badf},
    {"sock_shutdown", "ii>i", (void *)stub_badf},
};

bool kiln_wasi_lookup(const char *name, size_t len, kiln_instance_t *importer, kiln_extern_t *out) {
  for (size_t i = 0; i < sizeof wasi_funcs / sizeof wasi_funcs[0]; i++) {
    const host_func *f = &wasi_funcs[i];
    if (strlen(f->name) == len && memcmp(f->name, name, len) == 0) {
      memset(out, 0, sizeof *out);
      out->kind = KILN_EXTERN_FUNC;
      out->func.code = f->fn;
      out->func.vmctx = &importer->vmctx;
      out->func.sig_id = kiln_sig_intern_str(f->sig);
      return true;
    }
  }
  return false;
}
