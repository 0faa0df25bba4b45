/*
 * WASI preview1 path functions and the capability-safe resolver they share.
 *
 * Every directory descriptor is a root the guest cannot leave. A guest path is resolved
 * component by component from that root:
 *   - absolute paths are refused (ENOTCAPABLE);
 *   - each intermediate directory is opened with openat(O_PATH|O_DIRECTORY|O_NOFOLLOW), so
 *     the kernel never follows a symlink for us;
 *   - symlinks are read with readlinkat and their (relative) targets spliced into the rest
 *     of the path, relative to the directory holding the link; absolute targets are refused
 *     (ENOTCAPABLE); more than WASI_SYMLOOP_MAX links gives ELOOP;
 *   - `..` pops the directory stack; popping the root is refused (ENOTCAPABLE).
 * The result is (directory descriptor, one final component). Host calls then use *at
 * functions with that pair and never follow a symlink in it (AT_SYMLINK_NOFOLLOW,
 * O_NOFOLLOW, linkat without AT_SYMLINK_FOLLOW); when the guest asks to follow, the
 * resolver has already followed the final component by hand.
 */
#include "wasi.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_DEPTH 1024

void wasi_path_done(wasi_resolved *r) {
  if (r->owned && r->dirfd >= 0) close(r->dirfd);
  r->dirfd = -1;
  r->owned = false;
}

/* Reads a guest path into a fresh NUL-terminated buffer. */
static int32_t guest_path(kiln_vmctx_t *vm, uint32_t ptr, uint32_t len, char **out) {
  uint8_t *p = gptr(vm, ptr, len);
  if (!p) return W_EFAULT;
  if (len > WASI_PATH_MAX) return W_ENAMETOOLONG;
  if (memchr(p, 0, len)) return W_EINVAL;
  char *s = malloc((size_t)len + 1);
  if (!s) return W_ENOMEM;
  memcpy(s, p, len);
  s[len] = 0;
  *out = s;
  return W_ESUCCESS;
}

static int32_t resolve_str(wasi_fd *base, const char *path, bool follow, wasi_resolved *out) {
  out->dirfd = -1;
  out->owned = false;
  out->trailing_slash = false;
  if (base->type != FT_DIR) return W_ENOTDIR;
  if (!*path) return W_ENOENT;
  if (path[0] == '/') return W_ENOTCAPABLE;

  int *stack = malloc(MAX_DEPTH * sizeof *stack);
  char *work = strdup(path);
  if (!stack || !work) {
    free(stack);
    free(work);
    return W_ENOMEM;
  }
  int depth = 0;
  stack[0] = base->host;
  int links = 0;
  int32_t err = W_ESUCCESS;
  char *p = work;
  char target[WASI_PATH_MAX + 1];

  for (;;) {
    while (*p == '/') p++;
    if (!*p) { /* nothing left: the current directory itself */
      strcpy(out->name, ".");
      break;
    }
    char *comp = p;
    while (*p && *p != '/') p++;
    size_t clen = (size_t)(p - comp);
    bool had_slash = *p == '/';
    if (had_slash) *p++ = 0;
    while (*p == '/') p++;
    bool last = !*p;
    if (clen > 255) {
      err = W_ENAMETOOLONG;
      break;
    }
    if (strcmp(comp, ".") == 0) {
      if (last) {
        strcpy(out->name, ".");
        break;
      }
      continue;
    }
    if (strcmp(comp, "..") == 0) {
      if (depth == 0) {
        err = W_ENOTCAPABLE; /* would leave the root */
        break;
      }
      close(stack[depth--]);
      if (last) {
        strcpy(out->name, ".");
        break;
      }
      continue;
    }
    if (last && !follow && !had_slash) {
      memcpy(out->name, comp, clen + 1);
      break;
    }
    ssize_t n = readlinkat(stack[depth], comp, target, sizeof target);
    if (n >= 0) {
      if (++links > WASI_SYMLOOP_MAX) {
        err = W_ELOOP;
        break;
      }
      if ((size_t)n >= sizeof target) {
        err = W_ENAMETOOLONG;
        break;
      }
      target[n] = 0;
      if (n == 0) {
        err = W_ENOENT;
        break;
      }
      if (target[0] == '/') {
        err = W_ENOTCAPABLE; /* absolute targets lead outside */
        break;
      }
      /* rest := target [+ "/" + rest] */
      size_t rest_len = strlen(p);
      size_t total = (size_t)n + 1 + rest_len + 1;
      if (total > 16 * WASI_PATH_MAX) {
        err = W_ENAMETOOLONG;
        break;
      }
      char *nw = malloc(total);
      if (!nw) {
        err = W_ENOMEM;
        break;
      }
      memcpy(nw, target, (size_t)n);
      size_t at = (size_t)n;
      if (!last || had_slash) nw[at++] = '/';
      memcpy(nw + at, p, rest_len + 1);
      free(work);
      work = p = nw;
      continue;
    }
    if (errno != EINVAL && errno != ENOENT) {
      err = wasi_errno(errno);
      break;
    }
    if (last) { /* not a link (or absent): the final component */
      memcpy(out->name, comp, clen + 1);
      out->trailing_slash = had_slash;
      break;
    }
    if (errno == ENOENT) {
      err = W_ENOENT;
      break;
    }
    if (depth + 1 >= MAX_DEPTH) {
      err = W_ENAMETOOLONG;
      break;
    }
    int d = openat(stack[depth], comp, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (d < 0) {
      err = wasi_errno(errno);
      break;
    }
    stack[++depth] = d;
  }
  if (err == W_ESUCCESS) {
    out->dirfd = stack[depth];
    out->owned = depth > 0;
    depth--;
  }
  while (depth > 0) close(stack[depth--]);
  free(stack);
  free(work);
  return err;
}

int32_t wasi_resolve(kiln_vmctx_t *vm, wasi_fd *base, uint32_t ptr, uint32_t len, bool follow, wasi_resolved *out) {
  char *path;
  out->dirfd = -1;
  out->owned = false;
  int32_t err = guest_path(vm, ptr, len, &path);
  if (err) return err;
  err = resolve_str(base, path, follow, out);
  free(path);
  return err;
}

/* Looks up fd with `need` and resolves the path under it. */
static int32_t at(kiln_vmctx_t *vm, int32_t fd, uint64_t need, uint32_t ptr, uint32_t len, bool follow,
                  wasi_resolved *r, wasi_fd **fout) {
  int32_t err;
  wasi_fd *f = wasi_fd_get(fd, need, &err);
  r->dirfd = -1;
  r->owned = false;
  if (!f) return err;
  if (fout) *fout = f;
  return wasi_resolve(vm, f, ptr, len, follow, r);
}

static int32_t done(wasi_resolved *r, int rc) {
  int e = errno;
  wasi_path_done(r);
  return rc == 0 ? W_ESUCCESS : wasi_errno(e);
}

int32_t wasi_path_create_directory(kiln_vmctx_t *vm, int32_t fd, uint32_t path, uint32_t len) {
  wasi_resolved r;
  int32_t err = at(vm, fd, R_PATH_CREATE_DIRECTORY, path, len, false, &r, NULL);
  if (err) return err;
  return done(&r, mkdirat(r.dirfd, r.name, 0777));
}

int32_t wasi_path_remove_directory(kiln_vmctx_t *vm, int32_t fd, uint32_t path, uint32_t len) {
  wasi_resolved r;
  int32_t err = at(vm, fd, R_PATH_REMOVE_DIRECTORY, path, len, false, &r, NULL);
  if (err) return err;
  return done(&r, unlinkat(r.dirfd, r.name, AT_REMOVEDIR));
}

int32_t wasi_path_unlink_file(kiln_vmctx_t *vm, int32_t fd, uint32_t path, uint32_t len) {
  wasi_resolved r;
  int32_t err = at(vm, fd, R_PATH_UNLINK_FILE, path, len, false, &r, NULL);
  if (err) return err;
  if (r.trailing_slash) {
    struct stat st;
    int rc = fstatat(r.dirfd, r.name, &st, AT_SYMLINK_NOFOLLOW);
    wasi_path_done(&r);
    if (rc != 0) return wasi_errno(errno);
    return S_ISDIR(st.st_mode) ? W_EISDIR : W_ENOTDIR;
  }
  return done(&r, unlinkat(r.dirfd, r.name, 0));
}

int32_t wasi_path_filestat_get(kiln_vmctx_t *vm, int32_t fd, uint32_t flags, uint32_t path, uint32_t len, uint32_t buf) {
  int32_t err;
  if (!wasi_fd_get(fd, R_PATH_FILESTAT_GET, &err)) return err;
  uint8_t *p = gptr(vm, buf, 64);
  if (!p) return W_EFAULT;
  wasi_resolved r;
  err = at(vm, fd, R_PATH_FILESTAT_GET, path, len, flags & LOOKUP_SYMLINK_FOLLOW, &r, NULL);
  if (err) return err;
  struct stat st;
  int rc = fstatat(r.dirfd, r.name, &st, AT_SYMLINK_NOFOLLOW);
  if (rc == 0) wasi_put_filestat(p, &st);
  return done(&r, rc);
}

int32_t wasi_path_filestat_set_times(kiln_vmctx_t *vm, int32_t fd, uint32_t flags, uint32_t path, uint32_t len,
                                     uint64_t atim, uint64_t mtim, uint32_t fst) {
  struct timespec ts[2];
  int32_t err;
  if (!wasi_fd_get(fd, R_PATH_FILESTAT_SET_TIMES, &err)) return err;
  if ((err = wasi_times(atim, mtim, fst, ts)) != 0) return err;
  wasi_resolved r;
  err = at(vm, fd, R_PATH_FILESTAT_SET_TIMES, path, len, flags & LOOKUP_SYMLINK_FOLLOW, &r, NULL);
  if (err) return err;
  return done(&r, utimensat(r.dirfd, r.name, ts, AT_SYMLINK_NOFOLLOW));
}

int32_t wasi_path_link(kiln_vmctx_t *vm, int32_t old_fd, uint32_t old_flags, uint32_t old_path, uint32_t old_len,
                       int32_t new_fd, uint32_t new_path, uint32_t new_len) {
  wasi_resolved o, n;
  int32_t err = at(vm, old_fd, R_PATH_LINK_SOURCE, old_path, old_len, old_flags & LOOKUP_SYMLINK_FOLLOW, &o, NULL);
  if (err) return err;
  err = at(vm, new_fd, R_PATH_LINK_TARGET, new_path, new_len, false, &n, NULL);
  if (err) {
    wasi_path_done(&o);
    return err;
  }
  int rc = linkat(o.dirfd, o.name, n.dirfd, n.name, 0);
  int e = errno;
  wasi_path_done(&o);
  wasi_path_done(&n);
  return rc == 0 ? W_ESUCCESS : wasi_errno(e);
}

int32_t wasi_path_rename(kiln_vmctx_t *vm, int32_t old_fd, uint32_t old_path, uint32_t old_len, int32_t new_fd,
                         uint32_t new_path, uint32_t new_len) {
  wasi_resolved o, n;
  int32_t err = at(vm, old_fd, R_PATH_RENAME_SOURCE, old_path, old_len, false, &o, NULL);
  if (err) return err;
  err = at(vm, new_fd, R_PATH_RENAME_TARGET, new_path, new_len, false, &n, NULL);
  if (err) {
    wasi_path_done(&o);
    return err;
  }
  int rc = renameat(o.dirfd, o.name, n.dirfd, n.name);
  int e = errno;
  wasi_path_done(&o);
  wasi_path_done(&n);
  return rc == 0 ? W_ESUCCESS : wasi_errno(e);
}

/* Symlink contents are stored as given but never absolute: the sandbox would refuse to
 * follow them anyway, and a host program must not find an absolute link planted by a guest. */
int32_t wasi_path_symlink(kiln_vmctx_t *vm, uint32_t old_path, uint32_t old_len, int32_t fd, uint32_t new_path,
                          uint32_t new_len) {
  int32_t err;
  if (!wasi_fd_get(fd, R_PATH_SYMLINK, &err)) return err;
  char *contents;
  if ((err = guest_path(vm, old_path, old_len, &contents)) != 0) return err;
  if (!*contents) err = W_ENOENT;
  else if (contents[0] == '/') err = W_ENOTCAPABLE;
  wasi_resolved r;
  if (!err) err = at(vm, fd, R_PATH_SYMLINK, new_path, new_len, false, &r, NULL);
  if (err) {
    free(contents);
    return err;
  }
  int rc = symlinkat(contents, r.dirfd, r.name);
  free(contents);
  return done(&r, rc);
}

int32_t wasi_path_readlink(kiln_vmctx_t *vm, int32_t fd, uint32_t path, uint32_t len, uint32_t buf, uint32_t buf_len,
                           uint32_t used_ptr) {
  int32_t err;
  if (!wasi_fd_get(fd, R_PATH_READLINK, &err)) return err;
  uint8_t *out = gptr(vm, buf, buf_len), *used = gptr(vm, used_ptr, 4);
  if (!out || !used) return W_EFAULT;
  wasi_resolved r;
  err = at(vm, fd, R_PATH_READLINK, path, len, false, &r, NULL);
  if (err) return err;
  char target[WASI_PATH_MAX + 1];
  ssize_t n = readlinkat(r.dirfd, r.name, target, sizeof target);
  int e = errno;
  wasi_path_done(&r);
  if (n < 0) return wasi_errno(e);
  size_t copy = (size_t)n < buf_len ? (size_t)n : buf_len; /* truncated as readlink(2) does */
  memcpy(out, target, copy);
  put32(used, (uint32_t)copy);
  return W_ESUCCESS;
}

int32_t wasi_path_open(kiln_vmctx_t *vm, int32_t fd, uint32_t dirflags, uint32_t path, uint32_t len, uint32_t oflags,
                       uint64_t base, uint64_t inheriting, uint32_t fdflags, uint32_t fd_ptr) {
  oflags &= 0xffff;
  fdflags &= 0xffff;
  uint64_t need = R_PATH_OPEN;
  if (oflags & OFLAG_CREAT) need |= R_PATH_CREATE_FILE;
  if (oflags & OFLAG_TRUNC) need |= R_PATH_FILESTAT_SET_SIZE;
  int32_t err;
  wasi_fd *d = wasi_fd_get(fd, need, &err);
  if (!d) return err;
  uint8_t *res = gptr(vm, fd_ptr, 4);
  if (!res) return W_EFAULT;
  if ((oflags & ~(uint32_t)0xf) || (fdflags & ~(uint32_t)0x1f)) return W_EINVAL;
  if ((oflags & OFLAG_DIRECTORY) && (oflags & (OFLAG_CREAT | OFLAG_TRUNC))) return W_EINVAL;

  bool ro = d->readonly;
  /* Under a read-only preopen, asking for any write right (or append) is refused outright. */
  if (ro && ((base & R_FILE_WRITE) || (fdflags & FDFLAG_APPEND))) return W_ENOTCAPABLE;
  uint64_t rights = base & d->inheriting, inh = inheriting & d->inheriting;
  if (ro) rights &= ~R_FILE_WRITE, inh &= ~(R_FILE_WRITE | R_DIR_WRITE);
  bool want_read = rights & (R_FD_READ | R_FD_READDIR);
  bool want_write = rights & (R_FD_WRITE | R_FD_ALLOCATE | R_FD_FILESTAT_SET_SIZE);
  if (fdflags & FDFLAG_APPEND) want_write = want_write || !ro;
  if (oflags & OFLAG_TRUNC) want_write = true;
  if (ro && (want_write || (oflags & (OFLAG_CREAT | OFLAG_TRUNC)))) {
    if (oflags & (OFLAG_CREAT | OFLAG_TRUNC) || (fdflags & FDFLAG_APPEND)) return W_ENOTCAPABLE;
    want_write = false;
  }
  (void)want_read;

  wasi_resolved r;
  err = wasi_resolve(vm, d, path, len, dirflags & LOOKUP_SYMLINK_FOLLOW, &r);
  if (err) return err;
  int flags = O_CLOEXEC | O_NOFOLLOW | O_NOCTTY;
  if (oflags & OFLAG_CREAT) flags |= O_CREAT;
  if (oflags & OFLAG_EXCL) flags |= O_EXCL;
  if (oflags & OFLAG_TRUNC) flags |= O_TRUNC;
  if ((oflags & OFLAG_DIRECTORY) || r.trailing_slash) flags |= O_DIRECTORY;
  if (fdflags & FDFLAG_APPEND) flags |= O_APPEND;
  if (fdflags & FDFLAG_NONBLOCK) flags |= O_NONBLOCK;
  if (fdflags & FDFLAG_DSYNC) flags |= O_DSYNC;
  if (fdflags & FDFLAG_SYNC) flags |= O_SYNC;
  if (fdflags & FDFLAG_RSYNC) flags |= O_RSYNC;
  int mode = (flags & O_DIRECTORY) || !want_write ? O_RDONLY : want_read ? O_RDWR : O_WRONLY;
  if (!(flags & O_DIRECTORY) && want_write && !(rights & R_FD_READ)) mode = O_WRONLY;
  if (!(flags & O_DIRECTORY) && want_write && (rights & R_FD_READ)) mode = O_RDWR;
  int h = openat(r.dirfd, r.name, flags | mode, 0666);
  if (h < 0 && errno == EISDIR && mode != O_RDONLY && !(rights & R_FD_WRITE) && !(flags & (O_CREAT | O_TRUNC)))
    h = openat(r.dirfd, r.name, flags | O_RDONLY, 0666); /* a directory opened with "all rights" */
  int e = errno;
  wasi_path_done(&r);
  if (h < 0) return wasi_errno(e);
  struct stat st;
  if (fstat(h, &st) != 0) {
    e = errno;
    close(h);
    return wasi_errno(e);
  }
  uint8_t type = wasi_filetype(st.st_mode);
  uint64_t allowed = wasi_rights_for(type, ro);
  if (type == FT_DIR) inh &= (R_DIR | R_FILE);
  else inh = 0;
  int32_t nfd = wasi_fd_add(h, type, rights & allowed, inh, ro);
  if (nfd < 0) {
    close(h);
    return W_EMFILE;
  }
  put32(res, (uint32_t)nfd);
  return W_ESUCCESS;
}
