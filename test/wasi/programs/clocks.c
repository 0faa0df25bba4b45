#include "t.h"
#include <time.h>
int area_clocks(int argc, char **argv) {
  (void)argc, (void)argv;
  struct timespec a, b, r;
  T("realtime", clock_gettime(CLOCK_REALTIME, &a));
  printf("realtime after 2023 %d\n", a.tv_sec > 1672531200);
  T("monotonic", clock_gettime(CLOCK_MONOTONIC, &a));
  volatile uint64_t x = 0;
  for (int i = 0; i < 20000000; i++) x += (uint64_t)i;
  clock_gettime(CLOCK_MONOTONIC, &b);
  printf("monotonic advances %d\n", (b.tv_sec > a.tv_sec) || (b.tv_sec == a.tv_sec && b.tv_nsec > a.tv_nsec));
  T("process cputime", clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a));
  for (int i = 0; i < 20000000; i++) x += (uint64_t)i;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &b);
  printf("cputime advances %d\n", (b.tv_sec > a.tv_sec) || (b.tv_sec == a.tv_sec && b.tv_nsec > a.tv_nsec));
  T("thread cputime", clock_gettime(CLOCK_THREAD_CPUTIME_ID, &a));
  T("res realtime", clock_getres(CLOCK_REALTIME, &r));
  printf("res positive %d\n", r.tv_sec > 0 || r.tv_nsec > 0);
  T("res monotonic", clock_getres(CLOCK_MONOTONIC, &r));
  __wasi_timestamp_t t;
  W("raw bad clock", __wasi_clock_time_get(9, 1, &t));
  W("raw bad clock res", __wasi_clock_res_get(9, &t));
  W("raw monotonic", __wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &t));
  time_t now = time(NULL);
  printf("time() plausible %d\n", now > 1672531200);
  return (int)(x & 0);
}
