/*
 * WASI preview1 descriptor functions (fd_*). Every function checks the descriptor's rights
 * first (EBADF: not open; ENOTCAPABLE: right missing), then every guest pointer, and only
 * then does host I/O, so a bad pointer never leaves a half-done operation behind.
 */
#include "wasi.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

/* Turns the guest iovec array into host iovecs, every buffer bounds-checked; the total is
 * capped at UINT32_MAX (the result is a u32), which is a legal short transfer. */
int32_t wasi_gather(kiln_vmctx_t *vm, uint32_t iovs, uint32_t n, struct iovec *out, int *count) {
  if (n > WASI_IOV_MAX) return W_EINVAL;
  uint8_t *a = garray(vm, iovs, n, 8);
  if (!a) return W_EFAULT;
  uint64_t total = 0;
  int k = 0;
  for (uint32_t i = 0; i < n; i++) {
    uint32_t buf = get32(a + 8 * i), len = get32(a + 8 * i + 4);
    uint8_t *p = gptr(vm, buf, len);
    if (!p) return W_EFAULT;
    if (total + len > UINT32_MAX) len = (uint32_t)(UINT32_MAX - total);
    total += len;
    out[k++] = (struct iovec){p, len};
  }
  *count = k;
  return W_ESUCCESS;
}

typedef enum { IO_READ, IO_WRITE, IO_PREAD, IO_PWRITE } io_kind;

static int32_t do_io(kiln_vmctx_t *vm, int32_t fd, uint32_t iovs, uint32_t n, uint64_t offset, uint32_t result_ptr,
                     io_kind kind) {
  uint64_t need = (kind == IO_READ || kind == IO_PREAD) ? R_FD_READ : R_FD_WRITE;
  if (kind == IO_PREAD || kind == IO_PWRITE) need |= R_FD_SEEK;
  int32_t err;
  wasi_fd *f = wasi_fd_get(fd, need, &err);
  if (!f) return err;
  uint8_t *res = gptr(vm, result_ptr, 4);
  if (!res) return W_EFAULT;
  if ((kind == IO_PREAD || kind == IO_PWRITE) && offset > INT64_MAX) return W_EINVAL;
  struct iovec v[WASI_IOV_MAX];
  int cnt;
  if ((err = wasi_gather(vm, iovs, n, v, &cnt)) != 0) return err;
  ssize_t r;
  do {
    switch (kind) {
    case IO_READ: r = readv(f->host, v, cnt); break;
    case IO_WRITE: r = writev(f->host, v, cnt); break;
    case IO_PREAD: r = preadv(f->host, v, cnt, (off_t)offset); break;
    default: r = pwritev(f->host, v, cnt, (off_t)offset); break;
    }
  } while (r < 0 && errno == EINTR);
  if (r < 0) return wasi_errno(errno);
  put32(res, (uint32_t)r);
  return W_ESUCCESS;
}

int32_t wasi_fd_read(kiln_vmctx_t *vm, int32_t fd, uint32_t iovs, uint32_t n, uint32_t nread) {
  return do_io(vm, fd, iovs, n, 0, nread, IO_READ);
}
int32_t wasi_fd_write(kiln_vmctx_t *vm, int32_t fd, uint32_t iovs, uint32_t n, uint32_t nwritten) {
  return do_io(vm, fd, iovs, n, 0, nwritten, IO_WRITE);
}
int32_t wasi_fd_pread(kiln_vmctx_t *vm, int32_t fd, uint32_t iovs, uint32_t n, uint64_t off, uint32_t nread) {
  return do_io(vm, fd, iovs, n, off, nread, IO_PREAD);
}
int32_t wasi_fd_pwrite(kiln_vmctx_t *vm, int32_t fd, uint32_t iovs, uint32_t n, uint64_t off, uint32_t nwritten) {
  return do_io(vm, fd, iovs, n, off, nwritten, IO_PWRITE);
}

int32_t wasi_fd_close(kiln_vmctx_t *vm, int32_t fd) {
  (void)vm;
  int32_t err;
  wasi_fd *f = wasi_fd_get(fd, 0, &err);
  if (!f) return err;
  wasi_fd_release(f);
  return W_ESUCCESS;
}

int32_t wasi_fd_seek(kiln_vmctx_t *vm, int32_t fd, int64_t offset, uint32_t whence, uint32_t newoffset_ptr) {
  /* A seek that only reports the position needs fd_tell, not fd_seek. */
  uint64_t need = (offset == 0 && (whence & 0xff) == 1) ? R_FD_TELL : R_FD_SEEK;
  int32_t err;
  wasi_fd *f = wasi_fd_get(fd, need, &err);
  if (!f) return err;
  uint8_t *out = gptr(vm, newoffset_ptr, 8);
  if (!out) return W_EFAULT;
  int w;
  switch (whence & 0xff) {
  case 0: w = SEEK_SET; break;
  case 1: w = SEEK_CUR; break;
  case 2: w = SEEK_END; break;
  default: return W_EINVAL;
  }
  off_t r = lseek(f->host, (off_t)offset, w);
  if (r < 0) return wasi_errno(errno);
  put64(out, (uint64_t)r);
  return W_ESUCCESS;
}

int32_t wasi_fd_tell(kiln_vmctx_t *vm, int32_t fd, uint32_t offset_ptr) {
  int32_t err;
  wasi_fd *f = wasi_fd_get(fd, R_FD_TELL, &err);
  if (!f) return err;
  uint8_t *out = gptr(vm, offset_ptr, 8);
  if (!out) return W_EFAULT;
  off_t r = lseek(f->host, 0, SEEK_CUR);
  if (r < 0) return wasi_errno(errno);
  put64(out, (uint64_t)r);
  return W_ESUCCESS;
}

int32_t wasi_fd_advise(kiln_vmctx_t *vm, int32_t fd, uint64_t offset, uint64_t len, uint32_t advice) {
  (void)vm;
  int32_t err;
  wasi_fd *f = wasi_fd_get(fd, R_FD_ADVISE, &err);
  if (!f) return err;
  static const int map[] = {POSIX_FADV_NORMAL, POSIX_FADV_SEQUENTIAL, POSIX_FADV_RANDOM,
                            POSIX_FADV_WILLNEED, POSIX_FADV_DONTNEED, POSIX_FADV_NOREUSE};
  if ((advice & 0xff) > 5 || offset > INT64_MAX || len > INT64_MAX) return W_EINVAL;
  if (f->type == FT_DIR) return W_ESUCCESS; /* advice is only a hint */
  int r = posix_fadvise(f->host, (off_t)offset, (off_t)len, map[advice & 0xff]);
  return r == 0 ? W_ESUCCESS : wasi_errno(r);
}

int32_t wasi_fd_allocate(kiln_vmctx_t *vm, int32_t fd, uint64_t offset, uint64_t len) {
  (void)vm;
  int32_t err;
  wasi_fd *f = wasi_fd_get(fd, R_FD_ALLOCATE, &err);
  if (!f) return err;
  if (offset > INT64_MAX || len > INT64_MAX - offset) return W_EINVAL;
  if (len == 0) return W_EINVAL;
  int r = posix_fallocate(f->host, (off_t)offset, (off_t)len);
  if (r == EOPNOTSUPP || r == EINVAL) {
    /* file systems without fallocate: extending the size is what the guest can observe */
    struct stat st;
    if (fstat(f->host, &st) != 0) return wasi_errno(errno);
    if (!S_ISREG(st.st_mode)) return W_ENODEV;
    if ((uint64_t)st.st_size < offset + len && ftruncate(f->host, (off_t)(offset + len)) != 0) return wasi_errno(errno);
    return W_ESUCCESS;
  }
  return r == 0 ? W_ESUCCESS : wasi_errno(r);
}

int32_t wasi_fd_datasync(kiln_vmctx_t *vm, int32_t fd) {
  (void)vm;
  int32_t err;
  wasi_fd *f = wasi_fd_get(fd, R_FD_DATASYNC, &err);
  if (!f) return err;
  return fdatasync(f->host) == 0 ? W_ESUCCESS : wasi_errno(errno);
}

int32_t wasi_fd_sync(kiln_vmctx_t *vm, int32_t fd) {
  (void)vm;
  int32_t err;
  wasi_fd *f = wasi_fd_get(fd, R_FD_SYNC, &err);
  if (!f) return err;
  return fsync(f->host) == 0 ? W_ESUCCESS : wasi_errno(errno);
}

int32_t wasi_fd_fdstat_get(kiln_vmctx_t *vm, int32_t fd, uint32_t stat_ptr) {
  int32_t err;
  wasi_fd *f = wasi_fd_get(fd, 0, &err);
  if (!f) return err;
  uint8_t *p = gptr(vm, stat_ptr, 24);
  if (!p) return W_EFAULT;
  int fl = fcntl(f->host, F_GETFL);
  if (fl < 0) return wasi_errno(errno);
  uint16_t flags = 0;
  if (fl & O_APPEND) flags |= FDFLAG_APPEND;
  if (fl & O_NONBLOCK) flags |= FDFLAG_NONBLOCK;
  if ((fl & O_SYNC) == O_SYNC) flags |= FDFLAG_SYNC;
  else if (fl & O_DSYNC) flags |= FDFLAG_DSYNC;
  memset(p, 0, 24);
  p[0] = f->type;
  put16(p + 2, flags);
  put64(p + 8, f->rights);
  put64(p + 16, f->inheriting);
  return W_ESUCCESS;
}

int32_t wasi_fd_fdstat_set_flags(kiln_vmctx_t *vm, int32_t fd, uint32_t flags) {
  (void)vm;
  int32_t err;
  wasi_fd *f = wasi_fd_get(fd, R_FD_FDSTAT_SET_FLAGS, &err);
  if (!f) return err;
  flags &= 0xffff;
  if (flags & ~(uint32_t)0x1f) return W_EINVAL;
  /* Linux cannot change the synchronisation flags of an open descriptor. */
  if (flags & (FDFLAG_DSYNC | FDFLAG_RSYNC | FDFLAG_SYNC)) return W_ENOTSUP;
  int fl = fcntl(f->host, F_GETFL);
  if (fl < 0) return wasi_errno(errno);
  fl &= ~(O_APPEND | O_NONBLOCK);
  if (flags & FDFLAG_APPEND) fl |= O_APPEND;
  if (flags & FDFLAG_NONBLOCK) fl |= O_NONBLOCK;
  return fcntl(f->host, F_SETFL, fl) == 0 ? W_ESUCCESS : wasi_errno(errno);
}

int32_t wasi_fd_fdstat_set_rights(kiln_vmctx_t *vm, int32_t fd, uint64_t base, uint64_t inheriting) {
  (void)vm;
  int32_t err;
  wasi_fd *f = wasi_fd_get(fd, 0, &err);
  if (!f) return err;
  /* Rights can only be dropped. */
  if ((base & ~f->rights) || (inheriting & ~f->inheriting)) return W_ENOTCAPABLE;
  f->rights = base;
  f->inheriting = inheriting;
  return W_ESUCCESS;
}

int32_t wasi_fd_filestat_get(kiln_vmctx_t *vm, int32_t fd, uint32_t buf_ptr) {
  int32_t err;
  wasi_fd *f = wasi_fd_get(fd, R_FD_FILESTAT_GET, &err);
  if (!f) return err;
  uint8_t *p = gptr(vm, buf_ptr, 64);
  if (!p) return W_EFAULT;
  struct stat st;
  if (fstat(f->host, &st) != 0) return wasi_errno(errno);
  wasi_put_filestat(p, &st);
  return W_ESUCCESS;
}

int32_t wasi_fd_filestat_set_size(kiln_vmctx_t *vm, int32_t fd, uint64_t size) {
  (void)vm;
  int32_t err;
  wasi_fd *f = wasi_fd_get(fd, R_FD_FILESTAT_SET_SIZE, &err);
  if (!f) return err;
  if (size > INT64_MAX) return W_EINVAL;
  return ftruncate(f->host, (off_t)size) == 0 ? W_ESUCCESS : wasi_errno(errno);
}

/* Shared with path_filestat_set_times: fills ts[2] from the guest's times and fstflags. */
int32_t wasi_times(uint64_t atim, uint64_t mtim, uint32_t fst, struct timespec ts[2]) {
  fst &= 0xffff;
  if (fst & ~(uint32_t)0xf) return W_EINVAL;
  if ((fst & FST_ATIM) && (fst & FST_ATIM_NOW)) return W_EINVAL;
  if ((fst & FST_MTIM) && (fst & FST_MTIM_NOW)) return W_EINVAL;
  ts[0] = (struct timespec){0, UTIME_OMIT};
  ts[1] = (struct timespec){0, UTIME_OMIT};
  if (fst & FST_ATIM) ts[0] = (struct timespec){(time_t)(atim / 1000000000ull), (long)(atim % 1000000000ull)};
  if (fst & FST_ATIM_NOW) ts[0].tv_nsec = UTIME_NOW;
  if (fst & FST_MTIM) ts[1] = (struct timespec){(time_t)(mtim / 1000000000ull), (long)(mtim % 1000000000ull)};
  if (fst & FST_MTIM_NOW) ts[1].tv_nsec = UTIME_NOW;
  return W_ESUCCESS;
}

int32_t wasi_fd_filestat_set_times(kiln_vmctx_t *vm, int32_t fd, uint64_t atim, uint64_t mtim, uint32_t fst) {
  (void)vm;
  int32_t err;
  wasi_fd *f = wasi_fd_get(fd, R_FD_FILESTAT_SET_TIMES, &err);
  if (!f) return err;
  struct timespec ts[2];
  if ((err = wasi_times(atim, mtim, fst, ts)) != 0) return err;
  return futimens(f->host, ts) == 0 ? W_ESUCCESS : wasi_errno(errno);
}

int32_t wasi_fd_renumber(kiln_vmctx_t *vm, int32_t from, int32_t to) {
  (void)vm;
  int32_t err;
  wasi_fd *f = wasi_fd_get(from, 0, &err);
  if (!f) return err;
  wasi_fd *t = wasi_fd_get(to, 0, &err);
  if (!t) return err;
  if (f == t) return W_ESUCCESS;
  wasi_fd_release(t);
  *t = *f;
  *f = (wasi_fd){.host = -1};
  return W_ESUCCESS;
}

static uint8_t dtype_of(int dirfd, const struct dirent *e) {
  switch (e->d_type) {
  case DT_REG: return FT_REG;
  case DT_DIR: return FT_DIR;
  case DT_CHR: return FT_CHAR;
  case DT_BLK: return FT_BLOCK;
  case DT_SOCK: return FT_SOCK_STREAM;
  case DT_LNK: return FT_SYMLINK;
  case DT_FIFO: return FT_UNKNOWN;
  default: {
    struct stat st;
    if (fstatat(dirfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) return FT_UNKNOWN;
    return wasi_filetype(st.st_mode);
  }
  }
}

/* Cookies are entry indices: entry k has d_next k+1. A call whose cookie is where the stream
 * stands continues it; any other cookie rewinds and skips. An entry that did not fit whole
 * is given back (seekdir) so the usual "buffer full, call again" pattern never rewinds. */
int32_t wasi_fd_readdir(kiln_vmctx_t *vm, int32_t fd, uint32_t buf, uint32_t buf_len, uint64_t cookie, uint32_t used_ptr) {
  int32_t err;
  wasi_fd *f = wasi_fd_get(fd, R_FD_READDIR, &err);
  if (!f) return err;
  uint8_t *out = gptr(vm, buf, buf_len), *used = gptr(vm, used_ptr, 4);
  if (!out || !used) return W_EFAULT;
  DIR *d = f->dir;
  if (!d) {
    int h = openat(f->host, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (h < 0) return wasi_errno(errno);
    d = fdopendir(h);
    if (!d) {
      close(h);
      return wasi_errno(errno);
    }
    f->dir = d;
    f->dir_pos = 0;
  }
  if (cookie != f->dir_pos) {
    rewinddir(d);
    f->dir_pos = 0;
    while (f->dir_pos < cookie) {
      errno = 0;
      if (!readdir(d)) {
        if (errno) return wasi_errno(errno);
        break;
      }
      f->dir_pos++;
    }
  }
  uint32_t at = 0;
  while (at < buf_len) {
    long loc = telldir(d);
    errno = 0;
    struct dirent *e = readdir(d);
    if (!e) {
      if (errno) return wasi_errno(errno);
      break;
    }
    uint8_t hdr[24];
    size_t namelen = strlen(e->d_name);
    put64(hdr, f->dir_pos + 1);
    put64(hdr + 8, (uint64_t)e->d_ino);
    put32(hdr + 16, (uint32_t)namelen);
    memset(hdr + 20, 0, 4);
    hdr[20] = dtype_of(dirfd(d), e);
    uint64_t want = 24 + namelen;
    uint32_t room = buf_len - at;
    if (want > room) {
      /* Truncated: fill the buffer (the guest sees bufused == buf_len and asks again). */
      memcpy(out + at, hdr, room < 24 ? room : 24);
      if (room > 24) memcpy(out + at + 24, e->d_name, room - 24);
      at = buf_len;
      seekdir(d, loc);
      break;
    }
    memcpy(out + at, hdr, 24);
    memcpy(out + at + 24, e->d_name, namelen);
    at += (uint32_t)want;
    f->dir_pos++;
  }
  put32(used, at);
  return W_ESUCCESS;
}
