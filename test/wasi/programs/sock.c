/* Sockets the guest inherits: under the test harness stdin/stdout are socketpairs. */
#include "t.h"
int area_sock(int argc, char **argv) {
  (void)argc, (void)argv;
  __wasi_fdstat_t st;
  __wasi_fd_fdstat_get(0, &st);
  printf("stdin is socket %d\n", st.fs_filetype == __WASI_FILETYPE_SOCKET_STREAM);
  fflush(stdout);
  char buf[16] = {0};
  __wasi_iovec_t iov = {(uint8_t *)buf, 4};
  __wasi_size_t n;
  __wasi_roflags_t fl;
  W("recv peek", __wasi_sock_recv(0, &iov, 1, __WASI_RIFLAGS_RECV_PEEK, &n, &fl));
  printf("peeked %u [%.4s]\n", n, buf);
  W("recv waitall", __wasi_sock_recv(0, &iov, 1, __WASI_RIFLAGS_RECV_WAITALL, &n, &fl));
  printf("received %u [%.4s] flags %d\n", n, buf, fl);
  W("recv bad flags", __wasi_sock_recv(0, &iov, 1, 0x80, &n, &fl));
  __wasi_ciovec_t c = {(const uint8_t *)"pong\n", 5};
  W("send", __wasi_sock_send(1, &c, 1, 0, &n));
  printf("sent %u\n", n);
  __wasi_fd_t nfd;
  W("accept on connected", __wasi_sock_accept(0, 0, &nfd));
  W("shutdown bad how", __wasi_sock_shutdown(0, 0));
  W("shutdown rd", __wasi_sock_shutdown(0, __WASI_SDFLAGS_RD));
  int fd = open("/sandbox/hello.txt", O_RDONLY);
  W("recv on file", __wasi_sock_recv(fd, &iov, 1, 0, &n, &fl));
  W("shutdown on file", __wasi_sock_shutdown(fd, __WASI_SDFLAGS_WR));
  W("accept on file", __wasi_sock_accept(fd, 0, &nfd));
  return 0;
}
