/*
 * WASI preview1 internals shared by wasi*.c: errno and rights constants (numbers from the
 * wasi_snapshot_preview1 witx), guest-memory access, the descriptor table and the
 * capability-safe path resolver.
 *
 * Guest memory rule: a host function touches guest memory ONLY through gptr()/garray(),
 * which check [ptr, ptr+len) against the importing instance's memory 0 with 64-bit
 * arithmetic (no wrap); every failure is EFAULT. Pointers are re-fetched after anything
 * that can run guest code (nothing here does) or grow memory (nothing here does).
 */
#ifndef KILN_WASI_H
#define KILN_WASI_H

#include "kiln_internal.h"

#include <sys/stat.h>
#include <sys/types.h>

/* ---- errno (wasi_snapshot_preview1 `errno`) ---- */
enum {
  W_ESUCCESS = 0, W_E2BIG = 1, W_EACCES = 2, W_EADDRINUSE = 3, W_EADDRNOTAVAIL = 4, W_EAFNOSUPPORT = 5,
  W_EAGAIN = 6, W_EALREADY = 7, W_EBADF = 8, W_EBADMSG = 9, W_EBUSY = 10, W_ECANCELED = 11, W_ECHILD = 12,
  W_ECONNABORTED = 13, W_ECONNREFUSED = 14, W_ECONNRESET = 15, W_EDEADLK = 16, W_EDESTADDRREQ = 17,
  W_EDOM = 18, W_EDQUOT = 19, W_EEXIST = 20, W_EFAULT = 21, W_EFBIG = 22, W_EHOSTUNREACH = 23, W_EIDRM = 24,
  W_EILSEQ = 25, W_EINPROGRESS = 26, W_EINTR = 27, W_EINVAL = 28, W_EIO = 29, W_EISCONN = 30, W_EISDIR = 31,
  W_ELOOP = 32, W_EMFILE = 33, W_EMLINK = 34, W_EMSGSIZE = 35, W_EMULTIHOP = 36, W_ENAMETOOLONG = 37,
  W_ENETDOWN = 38, W_ENETRESET = 39, W_ENETUNREACH = 40, W_ENFILE = 41, W_ENOBUFS = 42, W_ENODEV = 43,
  W_ENOENT = 44, W_ENOEXEC = 45, W_ENOLCK = 46, W_ENOLINK = 47, W_ENOMEM = 48, W_ENOMSG = 49,
  W_ENOPROTOOPT = 50, W_ENOSPC = 51, W_ENOSYS = 52, W_ENOTCONN = 53, W_ENOTDIR = 54, W_ENOTEMPTY = 55,
  W_ENOTRECOVERABLE = 56, W_ENOTSOCK = 57, W_ENOTSUP = 58, W_ENOTTY = 59, W_ENXIO = 60, W_EOVERFLOW = 61,
  W_EOWNERDEAD = 62, W_EPERM = 63, W_EPIPE = 64, W_EPROTO = 65, W_EPROTONOSUPPORT = 66, W_EPROTOTYPE = 67,
  W_ERANGE = 68, W_EROFS = 69, W_ESPIPE = 70, W_ESRCH = 71, W_ESTALE = 72, W_ETIMEDOUT = 73, W_ETXTBSY = 74,
  W_EXDEV = 75, W_ENOTCAPABLE = 76,
};

/* ---- filetype ---- */
enum { FT_UNKNOWN = 0, FT_BLOCK = 1, FT_CHAR = 2, FT_DIR = 3, FT_REG = 4, FT_SOCK_DGRAM = 5, FT_SOCK_STREAM = 6, FT_SYMLINK = 7 };

/* ---- rights ---- */
#define R_FD_DATASYNC (1ull << 0)
#define R_FD_READ (1ull << 1)
#define R_FD_SEEK (1ull << 2)
#define R_FD_FDSTAT_SET_FLAGS (1ull << 3)
#define R_FD_SYNC (1ull << 4)
#define R_FD_TELL (1ull << 5)
#define R_FD_WRITE (1ull << 6)
#define R_FD_ADVISE (1ull << 7)
#define R_FD_ALLOCATE (1ull << 8)
#define R_PATH_CREATE_DIRECTORY (1ull << 9)
#define R_PATH_CREATE_FILE (1ull << 10)
#define R_PATH_LINK_SOURCE (1ull << 11)
#define R_PATH_LINK_TARGET (1ull << 12)
#define R_PATH_OPEN (1ull << 13)
#define R_FD_READDIR (1ull << 14)
#define R_PATH_READLINK (1ull << 15)
#define R_PATH_RENAME_SOURCE (1ull << 16)
#define R_PATH_RENAME_TARGET (1ull << 17)
#define R_PATH_FILESTAT_GET (1ull << 18)
#define R_PATH_FILESTAT_SET_SIZE (1ull << 19)
#define R_PATH_FILESTAT_SET_TIMES (1ull << 20)
#define R_FD_FILESTAT_GET (1ull << 21)
#define R_FD_FILESTAT_SET_SIZE (1ull << 22)
#define R_FD_FILESTAT_SET_TIMES (1ull << 23)
#define R_PATH_SYMLINK (1ull << 24)
#define R_PATH_REMOVE_DIRECTORY (1ull << 25)
#define R_PATH_UNLINK_FILE (1ull << 26)
#define R_POLL_FD_READWRITE (1ull << 27)
#define R_SOCK_SHUTDOWN (1ull << 28)
#define R_SOCK_ACCEPT (1ull << 29)
#define R_ALL ((1ull << 30) - 1)

/* What a regular file can do. */
#define R_FILE                                                                                                     \
  (R_FD_DATASYNC | R_FD_READ | R_FD_SEEK | R_FD_FDSTAT_SET_FLAGS | R_FD_SYNC | R_FD_TELL | R_FD_WRITE |            \
   R_FD_ADVISE | R_FD_ALLOCATE | R_FD_FILESTAT_GET | R_FD_FILESTAT_SET_SIZE | R_FD_FILESTAT_SET_TIMES |             \
   R_POLL_FD_READWRITE)
/* What writes to a file (removed from descriptors under a read-only preopen). */
#define R_FILE_WRITE (R_FD_DATASYNC | R_FD_WRITE | R_FD_ALLOCATE | R_FD_FILESTAT_SET_SIZE | R_FD_FILESTAT_SET_TIMES)
/* What a directory can do. */
#define R_DIR                                                                                                      \
  (R_FD_FDSTAT_SET_FLAGS | R_FD_SYNC | R_FD_ADVISE | R_PATH_CREATE_DIRECTORY | R_PATH_CREATE_FILE |                \
   R_PATH_LINK_SOURCE | R_PATH_LINK_TARGET | R_PATH_OPEN | R_FD_READDIR | R_PATH_READLINK | R_PATH_RENAME_SOURCE |  \
   R_PATH_RENAME_TARGET | R_PATH_FILESTAT_GET | R_PATH_FILESTAT_SET_SIZE | R_PATH_FILESTAT_SET_TIMES |             \
   R_FD_FILESTAT_GET | R_FD_FILESTAT_SET_TIMES | R_PATH_SYMLINK | R_PATH_REMOVE_DIRECTORY | R_PATH_UNLINK_FILE |    \
   R_POLL_FD_READWRITE)
/* Directory rights that modify the tree. A hard link or rename out of a read-only tree would
 * hand a writable name for its file to another tree, so the sources go too. */
#define R_DIR_WRITE                                                                                                \
  (R_PATH_CREATE_DIRECTORY | R_PATH_CREATE_FILE | R_PATH_LINK_SOURCE | R_PATH_LINK_TARGET | R_PATH_RENAME_SOURCE | \
   R_PATH_RENAME_TARGET | R_PATH_FILESTAT_SET_SIZE | R_PATH_FILESTAT_SET_TIMES | R_FD_FILESTAT_SET_TIMES |         \
   R_PATH_SYMLINK | R_PATH_REMOVE_DIRECTORY | R_PATH_UNLINK_FILE)
/* Streams (pipes, sockets): a file without size changes; seeking is left to the host (ESPIPE).
 * Character devices additionally lack seek/tell: wasi-libc's isatty() relies on that. */
#define R_STREAM                                                                                                   \
  (R_FD_READ | R_FD_WRITE | R_FD_SEEK | R_FD_TELL | R_FD_FDSTAT_SET_FLAGS | R_FD_FILESTAT_GET |                    \
   R_POLL_FD_READWRITE | R_FD_SYNC | R_FD_DATASYNC | R_FD_ADVISE)
#define R_SOCK (R_STREAM | R_SOCK_SHUTDOWN | R_SOCK_ACCEPT)

/* ---- fdflags, oflags, lookupflags, fstflags ---- */
#define FDFLAG_APPEND 1
#define FDFLAG_DSYNC 2
#define FDFLAG_NONBLOCK 4
#define FDFLAG_RSYNC 8
#define FDFLAG_SYNC 16
#define OFLAG_CREAT 1
#define OFLAG_DIRECTORY 2
#define OFLAG_EXCL 4
#define OFLAG_TRUNC 8
#define LOOKUP_SYMLINK_FOLLOW 1
#define FST_ATIM 1
#define FST_ATIM_NOW 2
#define FST_MTIM 4
#define FST_MTIM_NOW 8

/* ---- guest memory ---- */
static inline uint8_t *gptr(kiln_vmctx_t *vm, uint32_t ptr, uint64_t len) {
  uint64_t bound = vm->mem0_bound;
  if (len > bound || (uint64_t)ptr > bound - len) return NULL;
  return vm->mem0_base + ptr;
}
/* count elements of `size` bytes; refuses counts whose byte size would not fit in memory. */
static inline uint8_t *garray(kiln_vmctx_t *vm, uint32_t ptr, uint64_t count, uint64_t size) {
  if (count > (1ull << 32) / size) return NULL;
  return gptr(vm, ptr, count * size);
}
static inline void put16(uint8_t *p, uint16_t v) { __builtin_memcpy(p, &v, 2); }
static inline void put32(uint8_t *p, uint32_t v) { __builtin_memcpy(p, &v, 4); }
static inline void put64(uint8_t *p, uint64_t v) { __builtin_memcpy(p, &v, 8); }
static inline uint16_t get16(const uint8_t *p) {
  uint16_t v;
  __builtin_memcpy(&v, p, 2);
  return v;
}
static inline uint32_t get32(const uint8_t *p) {
  uint32_t v;
  __builtin_memcpy(&v, p, 4);
  return v;
}
static inline uint64_t get64(const uint8_t *p) {
  uint64_t v;
  __builtin_memcpy(&v, p, 8);
  return v;
}

/* Iovec arrays longer than this are refused with EINVAL (as IOV_MAX on Linux). */
#define WASI_IOV_MAX 1024
/* Longest guest path accepted (ENAMETOOLONG beyond). */
#define WASI_PATH_MAX 4096
/* Symlinks followed in one resolution before ELOOP. */
#define WASI_SYMLOOP_MAX 40

struct iovec;
/* Guest iovec array -> host iovecs (at most WASI_IOV_MAX: EINVAL beyond; every buffer checked: EFAULT). */
int32_t wasi_gather(kiln_vmctx_t *vm, uint32_t iovs, uint32_t n, struct iovec *out, int *count);
int32_t wasi_errno(int host_errno);
uint8_t wasi_filetype(mode_t m);
void wasi_put_filestat(uint8_t *p, const struct stat *st);

/* ---- descriptor table ---- */
typedef struct wasi_fd {
  int host;            /* host descriptor; -1: slot free */
  uint8_t type;        /* FT_* */
  bool readonly;       /* under a read-only preopen: never opened for writing, never modifies */
  uint64_t rights, inheriting;
  char *preopen;       /* guest name of a preopened directory, else NULL */
  void *dir;           /* DIR* for fd_readdir, opened lazily */
  uint64_t dir_pos;    /* index of the next entry `dir` returns */
} wasi_fd;

/* The entry for guest fd `fd` if open and holding every right in `need`; else NULL with *err set. */
wasi_fd *wasi_fd_get(int32_t fd, uint64_t need, int32_t *err);
/* Adds a descriptor at the lowest free number >= 3; returns its number or -1 (table full). */
int32_t wasi_fd_add(int host, uint8_t type, uint64_t rights, uint64_t inheriting, bool readonly);
void wasi_fd_release(wasi_fd *f); /* closes the host descriptor and frees the slot */
wasi_fd *wasi_fd_slot(int32_t fd); /* raw slot (open or not), NULL if out of range */
uint64_t wasi_rights_for(uint8_t type, bool readonly);

/* ---- path resolution (wasi_path.c) ---- */
typedef struct {
  int dirfd;          /* host directory to operate in (release with wasi_path_done) */
  bool owned;         /* dirfd was opened by the resolver (else it is the base's own descriptor) */
  char name[256];     /* final component, never "..", "." for the directory itself; no slash */
  bool trailing_slash; /* the guest path ended in '/': the object must be a directory */
} wasi_resolved;

/* Resolves the guest path at guest memory [ptr, ptr+len) relative to directory `base`. */
int32_t wasi_resolve(kiln_vmctx_t *vm, wasi_fd *base, uint32_t ptr, uint32_t len, bool follow, wasi_resolved *out);
void wasi_path_done(wasi_resolved *r);
/* fstflags + times -> utimensat times (wasi_fd.c) */
int32_t wasi_times(uint64_t atim, uint64_t mtim, uint32_t fst, struct timespec ts[2]);

/* ---- grants (wasi.c) ---- */
typedef struct {
  const char *host;
  const char *guest;
  bool readonly;
} wasi_preopen_grant;

#endif
