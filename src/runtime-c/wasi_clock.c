/*
 * WASI preview1 clocks, randomness, poll_oneoff and sched_yield.
 *
 * poll_oneoff: clock subscriptions (relative or absolute, any of the four clocks) and
 * fd_read/fd_write subscriptions. Regular files are always ready (fd_read reports the
 * bytes left to the end), other descriptors go to ppoll(2) with the nearest clock deadline
 * as its timeout (nanosecond precision). Per-subscription problems (unknown clock, bad
 * descriptor, missing right) come back as events with an error, as the spec describes.
 */
#include "wasi.h"

#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

/* More subscriptions than this in one call are refused (EINVAL). */
#define WASI_POLL_MAX 4096

static bool clock_of(uint32_t id, clockid_t *out) {
  switch (id) {
  case 0: *out = CLOCK_REALTIME; return true;
  case 1: *out = CLOCK_MONOTONIC; return true;
  case 2: *out = CLOCK_PROCESS_CPUTIME_ID; return true;
  case 3: *out = CLOCK_THREAD_CPUTIME_ID; return true;
  default: return false;
  }
}

static uint64_t now_ns(clockid_t c) {
  struct timespec ts;
  clock_gettime(c, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

int32_t wasi_clock_res_get(kiln_vmctx_t *vm, uint32_t id, uint32_t res_ptr) {
  clockid_t c;
  if (!clock_of(id, &c)) return W_EINVAL;
  uint8_t *p = gptr(vm, res_ptr, 8);
  if (!p) return W_EFAULT;
  struct timespec ts;
  if (clock_getres(c, &ts) != 0) return wasi_errno(errno);
  put64(p, (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec);
  return W_ESUCCESS;
}

int32_t wasi_clock_time_get(kiln_vmctx_t *vm, uint32_t id, uint64_t precision, uint32_t time_ptr) {
  (void)precision;
  clockid_t c;
  if (!clock_of(id, &c)) return W_EINVAL;
  uint8_t *p = gptr(vm, time_ptr, 8);
  if (!p) return W_EFAULT;
  struct timespec ts;
  if (clock_gettime(c, &ts) != 0) return wasi_errno(errno);
  put64(p, (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec);
  return W_ESUCCESS;
}

int32_t wasi_random_get(kiln_vmctx_t *vm, uint32_t buf, uint32_t len) {
  uint8_t *p = gptr(vm, buf, len);
  if (!p) return W_EFAULT;
  size_t done = 0;
  while (done < len) {
    ssize_t n = getrandom(p + done, len - done, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      return wasi_errno(errno);
    }
    done += (size_t)n;
  }
  return W_ESUCCESS;
}

int32_t wasi_sched_yield(kiln_vmctx_t *vm) {
  (void)vm;
  sched_yield();
  return W_ESUCCESS;
}

typedef struct {
  uint64_t userdata;
  uint8_t tag;        /* 0 clock, 1 fd_read, 2 fd_write */
  uint16_t error;     /* an immediate error event */
  bool ready;         /* an immediate event (error, regular file) */
  clockid_t clock;
  uint64_t deadline;  /* on `clock`; cputime clocks are waited for as monotonic durations */
  int poll_index;     /* into pfds, or -1 */
  uint64_t nbytes;
  uint16_t rwflags;
} sub_t;

int32_t wasi_poll_oneoff(kiln_vmctx_t *vm, uint32_t in_ptr, uint32_t out_ptr, uint32_t nsubs, uint32_t nevents_ptr) {
  if (nsubs == 0 || nsubs > WASI_POLL_MAX) return W_EINVAL;
  uint8_t *in = garray(vm, in_ptr, nsubs, 48), *out = garray(vm, out_ptr, nsubs, 32);
  uint8_t *nev = gptr(vm, nevents_ptr, 4);
  if (!in || !out || !nev) return W_EFAULT;
  sub_t *subs = calloc(nsubs, sizeof *subs);
  struct pollfd *pfds = calloc(nsubs, sizeof *pfds);
  if (!subs || !pfds) {
    free(subs);
    free(pfds);
    return W_ENOMEM;
  }
  /* Everything is read before anything is written: `in` and `out` may overlap. */
  int npfds = 0;
  bool any_ready = false, any_clock = false;
  int32_t err = W_ESUCCESS;
  for (uint32_t i = 0; i < nsubs && !err; i++) {
    const uint8_t *s = in + 48 * i;
    sub_t *u = &subs[i];
    u->userdata = get64(s);
    u->tag = s[8];
    u->poll_index = -1;
    if (u->tag == 0) {
      uint32_t id = get32(s + 16);
      uint64_t timeout = get64(s + 24);
      uint16_t flags = get16(s + 40);
      clockid_t c;
      if (!clock_of(id, &c) || (flags & ~1u)) {
        u->error = W_EINVAL, u->ready = any_ready = true;
        continue;
      }
      if (c == CLOCK_PROCESS_CPUTIME_ID || c == CLOCK_THREAD_CPUTIME_ID) {
        /* waiting does not consume CPU time: treat the span as elapsed time */
        uint64_t rel = (flags & 1) ? (timeout > now_ns(c) ? timeout - now_ns(c) : 0) : timeout;
        c = CLOCK_MONOTONIC;
        timeout = rel;
        flags = 0;
      }
      u->clock = c;
      uint64_t now = now_ns(c);
      u->deadline = (flags & 1) ? timeout : (timeout > UINT64_MAX - now ? UINT64_MAX : now + timeout);
      any_clock = true;
    } else if (u->tag == 1 || u->tag == 2) {
      int32_t fd = (int32_t)get32(s + 16);
      int32_t e;
      wasi_fd *f = wasi_fd_get(fd, R_POLL_FD_READWRITE, &e);
      if (!f) {
        u->error = (uint16_t)e, u->ready = any_ready = true;
        continue;
      }
      if (f->type == FT_REG) {
        if (u->tag == 1) {
          struct stat st;
          off_t pos = lseek(f->host, 0, SEEK_CUR);
          if (fstat(f->host, &st) == 0 && pos >= 0 && st.st_size > pos) u->nbytes = (uint64_t)(st.st_size - pos);
        }
        u->ready = any_ready = true;
        continue;
      }
      u->poll_index = npfds;
      pfds[npfds++] = (struct pollfd){.fd = f->host, .events = u->tag == 1 ? POLLIN : POLLOUT};
    } else {
      err = W_EINVAL;
    }
  }
  uint32_t n = 0;
  while (!err) {
    struct timespec ts, *tsp = NULL;
    if (any_ready) {
      ts = (struct timespec){0, 0};
      tsp = &ts;
    } else if (any_clock) {
      uint64_t wait = UINT64_MAX;
      for (uint32_t i = 0; i < nsubs; i++) {
        if (subs[i].tag != 0 || subs[i].ready) continue;
        uint64_t now = now_ns(subs[i].clock);
        uint64_t left = subs[i].deadline > now ? subs[i].deadline - now : 0;
        if (left < wait) wait = left;
      }
      ts = (struct timespec){(time_t)(wait / 1000000000ull), (long)(wait % 1000000000ull)};
      if (wait / 1000000000ull > (uint64_t)INT32_MAX) ts.tv_sec = INT32_MAX;
      tsp = &ts;
    }
    int r = npfds > 0 || tsp ? ppoll(pfds, (nfds_t)npfds, tsp, NULL) : 0;
    if (r < 0) {
      if (errno == EINTR) continue;
      err = wasi_errno(errno);
      break;
    }
    for (uint32_t i = 0; i < nsubs; i++) {
      sub_t *u = &subs[i];
      bool fire = u->ready;
      if (!fire && u->tag == 0) fire = now_ns(u->clock) >= u->deadline;
      if (!fire && u->poll_index >= 0) {
        short re = pfds[u->poll_index].revents;
        if (re & POLLNVAL) u->error = W_EBADF, fire = true;
        else if (re) {
          fire = true;
          if (re & POLLHUP) u->rwflags = 1;
          if (u->tag == 1) {
            int avail = 0;
            if (ioctl(pfds[u->poll_index].fd, FIONREAD, &avail) == 0 && avail > 0) u->nbytes = (uint64_t)avail;
          }
        }
      }
      if (!fire) continue;
      uint8_t *e = out + 32 * n++;
      memset(e, 0, 32);
      put64(e, u->userdata);
      put16(e + 8, u->error);
      e[10] = u->tag;
      if (u->tag != 0) {
        put64(e + 16, u->nbytes);
        put16(e + 24, u->rwflags);
      }
    }
    if (n > 0) break;
    if (!tsp && npfds == 0) break; /* nothing can ever fire */
  }
  free(subs);
  free(pfds);
  if (err) return err;
  put32(nev, n);
  return W_ESUCCESS;
}
