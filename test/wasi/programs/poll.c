#include "t.h"
static uint64_t mono(void) {
  __wasi_timestamp_t t;
  __wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &t);
  return t;
}
static __wasi_subscription_t clock_sub(uint64_t ud, uint64_t timeout, int abs) {
  __wasi_subscription_t s;
  memset(&s, 0, sizeof s);
  s.userdata = ud;
  s.u.tag = __WASI_EVENTTYPE_CLOCK;
  s.u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
  s.u.u.clock.timeout = timeout;
  s.u.u.clock.flags = abs ? __WASI_SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME : 0;
  return s;
}
int area_poll(int argc, char **argv) {
  (void)argc, (void)argv;
  __wasi_event_t ev[4];
  __wasi_size_t n;
  uint64_t t0 = mono();
  __wasi_subscription_t s1 = clock_sub(7, 50000000, 0);
  W("relative 50ms", __wasi_poll_oneoff(&s1, ev, 1, &n));
  uint64_t el = mono() - t0;
  printf("events %u userdata %llu type %d error %d waited>=50ms %d <5s %d\n", n, (unsigned long long)ev[0].userdata, ev[0].type, ev[0].error, el >= 50000000, el < 5000000000ull);
  t0 = mono();
  __wasi_subscription_t s2 = clock_sub(8, t0 + 30000000, 1);
  W("absolute +30ms", __wasi_poll_oneoff(&s2, ev, 1, &n));
  printf("events %u userdata %llu waited>=30ms %d\n", n, (unsigned long long)ev[0].userdata, mono() - t0 >= 30000000);
  __wasi_subscription_t two[2] = {clock_sub(1, 2000000000, 0), clock_sub(2, 20000000, 0)};
  t0 = mono();
  W("two clocks", __wasi_poll_oneoff(two, ev, 2, &n));
  printf("first fired %u userdata %llu quick %d\n", n, (unsigned long long)ev[0].userdata, mono() - t0 < 1500000000);
  int fd = open("/sandbox/hello.txt", O_RDONLY);
  __wasi_subscription_t fs[2] = {clock_sub(1, 2000000000, 0), {0}};
  fs[1].userdata = 42;
  fs[1].u.tag = __WASI_EVENTTYPE_FD_READ;
  fs[1].u.u.fd_read.file_descriptor = fd;
  t0 = mono();
  W("file readable", __wasi_poll_oneoff(fs, ev, 2, &n));
  printf("events %u userdata %llu type %d nbytes %llu quick %d\n", n, (unsigned long long)ev[0].userdata, ev[0].type, (unsigned long long)ev[0].fd_readwrite.nbytes, mono() - t0 < 1500000000);
  fs[1].u.tag = __WASI_EVENTTYPE_FD_WRITE;
  fs[1].u.u.fd_write.file_descriptor = 1;
  W("stdout writable", __wasi_poll_oneoff(fs, ev, 2, &n));
  printf("events %u userdata %llu type %d\n", n, (unsigned long long)ev[0].userdata, ev[0].type);
  W("zero subscriptions", __wasi_poll_oneoff(fs, ev, 0, &n));
  /* sleep() goes through poll_oneoff in wasi-libc */
  t0 = mono();
  usleep(20000);
  printf("usleep waited %d\n", mono() - t0 >= 20000000);
  return 0;
}
