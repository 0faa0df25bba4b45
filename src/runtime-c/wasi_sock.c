/*
 * WASI preview1 sockets: accept/recv/send/shutdown on sockets the guest was given (stdio
 * that is a socket, e.g. under inetd or a socketpair from the parent) and on sockets
 * accepted from them. The guest cannot create, bind or connect sockets.
 */
#include "wasi.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

int32_t wasi_sock_accept(kiln_vmctx_t *vm, int32_t fd, uint32_t flags, uint32_t fd_ptr) {
  int32_t err;
  wasi_fd *f = wasi_fd_get(fd, R_SOCK_ACCEPT, &err);
  if (!f) return err;
  uint8_t *res = gptr(vm, fd_ptr, 4);
  if (!res) return W_EFAULT;
  flags &= 0xffff;
  if (flags & ~(uint32_t)FDFLAG_NONBLOCK) return W_EINVAL;
  int h;
  do h = accept4(f->host, NULL, NULL, SOCK_CLOEXEC | ((flags & FDFLAG_NONBLOCK) ? SOCK_NONBLOCK : 0));
  while (h < 0 && errno == EINTR);
  if (h < 0) return wasi_errno(errno);
  int32_t nfd = wasi_fd_add(h, FT_SOCK_STREAM, R_SOCK & ~R_SOCK_ACCEPT, 0, false);
  if (nfd < 0) {
    close(h);
    return W_EMFILE;
  }
  put32(res, (uint32_t)nfd);
  return W_ESUCCESS;
}

int32_t wasi_sock_recv(kiln_vmctx_t *vm, int32_t fd, uint32_t iovs, uint32_t n, uint32_t ri_flags, uint32_t len_ptr,
                       uint32_t flags_ptr) {
  int32_t err;
  wasi_fd *f = wasi_fd_get(fd, R_FD_READ, &err);
  if (!f) return err;
  uint8_t *lp = gptr(vm, len_ptr, 4), *fp = gptr(vm, flags_ptr, 2);
  if (!lp || !fp) return W_EFAULT;
  ri_flags &= 0xffff;
  if (ri_flags & ~3u) return W_EINVAL;
  struct iovec v[WASI_IOV_MAX];
  int cnt;
  if ((err = wasi_gather(vm, iovs, n, v, &cnt)) != 0) return err;
  struct msghdr m = {.msg_iov = v, .msg_iovlen = (size_t)cnt};
  int hf = ((ri_flags & 1) ? MSG_PEEK : 0) | ((ri_flags & 2) ? MSG_WAITALL : 0);
  ssize_t r;
  do r = recvmsg(f->host, &m, hf);
  while (r < 0 && errno == EINTR);
  if (r < 0) return wasi_errno(errno);
  put32(lp, (uint32_t)r);
  put16(fp, (m.msg_flags & MSG_TRUNC) ? 1 : 0);
  return W_ESUCCESS;
}

int32_t wasi_sock_send(kiln_vmctx_t *vm, int32_t fd, uint32_t iovs, uint32_t n, uint32_t si_flags, uint32_t len_ptr) {
  int32_t err;
  wasi_fd *f = wasi_fd_get(fd, R_FD_WRITE, &err);
  if (!f) return err;
  uint8_t *lp = gptr(vm, len_ptr, 4);
  if (!lp) return W_EFAULT;
  if (si_flags & 0xffff) return W_EINVAL; /* no send flags are defined */
  struct iovec v[WASI_IOV_MAX];
  int cnt;
  if ((err = wasi_gather(vm, iovs, n, v, &cnt)) != 0) return err;
  struct msghdr m = {.msg_iov = v, .msg_iovlen = (size_t)cnt};
  ssize_t r;
  do r = sendmsg(f->host, &m, MSG_NOSIGNAL);
  while (r < 0 && errno == EINTR);
  if (r < 0) return wasi_errno(errno);
  put32(lp, (uint32_t)r);
  return W_ESUCCESS;
}

int32_t wasi_sock_shutdown(kiln_vmctx_t *vm, int32_t fd, uint32_t how) {
  (void)vm;
  int32_t err;
  wasi_fd *f = wasi_fd_get(fd, R_SOCK_SHUTDOWN, &err);
  if (!f) return err;
  how &= 0xff;
  int h;
  switch (how) {
  case 1: h = SHUT_RD; break;
  case 2: h = SHUT_WR; break;
  case 3: h = SHUT_RDWR; break;
  default: return W_EINVAL;
  }
  return shutdown(f->host, h) == 0 ? W_ESUCCESS : wasi_errno(errno);
}
