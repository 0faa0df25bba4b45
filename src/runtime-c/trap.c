/*
 * Traps, the fault handler, and the thread compiled code runs on.
 *
 * A hardware fault (SIGSEGV/SIGBUS/SIGILL/SIGFPE/SIGTRAP) is a wasm trap only when the
 * faulting PC lies inside a registered module's compiled code AND either the trap table
 * names that PC, or (SIGSEGV/SIGBUS) the fault address lies inside a linear memory's
 * reservation (guard mode) or the wasm stack's guard. Anything else is a real crash: the
 * default action is restored and the signal re-raised, never swallowed.
 */
#include "kiln_internal.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

__thread sigjmp_buf *kiln_trap_jmp;

static const char *const trap_messages[] = KILN_TRAP_MESSAGES;

const char *kiln_trap_message(uint32_t code) {
  return code < KILN_TRAP_COUNT ? trap_messages[code] : "unknown trap";
}

void kiln_fatal(const char *fmt, ...) {
  char buf[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  fprintf(stderr, "kiln: %s\n", buf);
  fflush(stderr);
  exit(1);
}

/* async-signal-safe: only write(2) and _exit. */
static void write_all(int fd, const char *s, size_t n) {
  while (n > 0) {
    ssize_t w = write(fd, s, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return;
    }
    s += w;
    n -= (size_t)w;
  }
}

_Noreturn void kiln_raise_trap(uint32_t code) {
  if (code == 0 || code >= KILN_TRAP_COUNT) code = KILN_TRAP_UNREACHABLE;
  if (kiln_trap_jmp) siglongjmp(*kiln_trap_jmp, (int)code);
  const char *msg = kiln_trap_message(code);
  write_all(2, "wasm trap: ", 11);
  write_all(2, msg, strlen(msg));
  write_all(2, "\n", 1);
  _exit(134);
}

_Noreturn void kiln_trap(kiln_vmctx_t *vmctx, uint32_t code) {
  if (vmctx) vmctx->trap_code = code;
  kiln_raise_trap(code);
}

/* ---- registries read by the signal handler (appended before compiled code runs) ---- */

#define MAX_CODE 256
#define MAX_MEMS 1024
static const kiln_module_t *code_modules[MAX_CODE];
static volatile int ncode_modules;
static kiln_memory_t *memories[MAX_MEMS];
static volatile int nmemories;

void kiln_register_code(const kiln_module_t *m) {
  for (int i = 0; i < ncode_modules; i++)
    if (code_modules[i] == m) return;
  if (ncode_modules == MAX_CODE) kiln_fatal("too many modules");
  code_modules[ncode_modules] = m;
  __atomic_store_n(&ncode_modules, ncode_modules + 1, __ATOMIC_RELEASE);
}

void kiln_register_memory(kiln_memory_t *mem) {
  if (nmemories == MAX_MEMS) kiln_fatal("too many memories");
  memories[nmemories] = mem;
  __atomic_store_n(&nmemories, nmemories + 1, __ATOMIC_RELEASE);
}

/* ---- the wasm thread's stack ---- */

static __thread uintptr_t stack_guard_lo, stack_guard_hi; /* PROT_NONE guard below the stack */
static __thread uint64_t stack_limit;

uint64_t kiln_current_stack_limit(void) { return stack_limit; }

/* ---- the handler ---- */

static uintptr_t fault_pc(void *uctx) {
  ucontext_t *uc = (ucontext_t *)uctx;
#if defined(__x86_64__)
  return (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
#elif defined(__aarch64__)
  return (uintptr_t)uc->uc_mcontext.pc;
#else
#error "unsupported architecture"
#endif
}

static const kiln_module_t *module_for_pc(uintptr_t pc) {
  int n = __atomic_load_n(&ncode_modules, __ATOMIC_ACQUIRE);
  for (int i = 0; i < n; i++) {
    const kiln_module_t *m = code_modules[i];
    if (pc >= (uintptr_t)m->code_start && pc < (uintptr_t)m->code_end) return m;
  }
  return NULL;
}

static uint32_t trap_table_lookup(const kiln_module_t *m, uintptr_t pc) {
  uint64_t off = pc - (uintptr_t)m->code_start;
  uint32_t lo = 0, hi = m->ntraps;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (m->traps[mid].offset < off) lo = mid + 1;
    else hi = mid;
  }
  if (lo < m->ntraps && m->traps[lo].offset == off) return m->traps[lo].code;
  return KILN_TRAP_NONE;
}

static bool in_memory_reservation(uintptr_t addr) {
  int n = __atomic_load_n(&nmemories, __ATOMIC_ACQUIRE);
  for (int i = 0; i < n; i++) {
    uintptr_t base = (uintptr_t)memories[i]->base;
    if (addr >= base && addr - base < memories[i]->reserved) return true;
  }
  return false;
}

static void fault_handler(int sig, siginfo_t *info, void *uctx) {
  uintptr_t pc = fault_pc(uctx);
  const kiln_module_t *m = module_for_pc(pc);
  uint32_t code = KILN_TRAP_NONE;
  if (m) {
    code = trap_table_lookup(m, pc);
    if (code == KILN_TRAP_NONE && (sig == SIGSEGV || sig == SIGBUS)) {
      uintptr_t addr = (uintptr_t)info->si_addr;
      if (in_memory_reservation(addr)) code = KILN_TRAP_OOB_MEMORY;
      else if (addr >= stack_guard_lo && addr < stack_guard_hi) code = KILN_TRAP_STACK_EXHAUSTED;
    }
  }
  if (code != KILN_TRAP_NONE) kiln_raise_trap(code); /* siglongjmp or _exit */
  /* A real crash: restore the default action and re-raise (pending until we return; a
   * faulting instruction would also fault again). */
  signal(sig, SIG_DFL);
  raise(sig);
}

void kiln_install_signal_handlers(void) {
  static const int sigs[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP};
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = fault_handler;
  sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
  sigemptyset(&sa.sa_mask);
  for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
    if (sigaction(sigs[i], &sa, NULL) != 0) kiln_fatal("sigaction: %s", strerror(errno));
}

static void install_altstack(void) {
  size_t size = 64 * 1024;
  void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) kiln_fatal("cannot allocate the signal stack");
  stack_t ss = {.ss_sp = p, .ss_size = size, .ss_flags = 0};
  if (sigaltstack(&ss, NULL) != 0) kiln_fatal("sigaltstack: %s", strerror(errno));
}

struct thread_start {
  int (*fn)(void *);
  void *arg;
  int result;
  uintptr_t lo, guard;
};

static void *wasm_thread_main(void *p) {
  struct thread_start *ts = p;
  install_altstack();
  stack_guard_lo = ts->lo;
  stack_guard_hi = ts->lo + ts->guard;
  stack_limit = ts->lo + ts->guard + KILN_STACK_SAFETY_MARGIN;
  ts->result = ts->fn(ts->arg);
  return NULL;
}

int kiln_run_on_wasm_stack(int (*fn)(void *), void *arg) {
  size_t size = KILN_WASM_STACK_SIZE, guard = KILN_WASM_STACK_GUARD;
  void *p = mmap(NULL, size + guard, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) kiln_fatal("cannot allocate the wasm stack");
  if (mprotect(p, guard, PROT_NONE) != 0) kiln_fatal("cannot protect the wasm stack guard");
  struct thread_start ts = {fn, arg, 0, (uintptr_t)p, guard};
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  if (pthread_attr_setstack(&attr, (char *)p + guard, size) != 0) kiln_fatal("pthread_attr_setstack failed");
  pthread_t th;
  int e = pthread_create(&th, &attr, wasm_thread_main, &ts);
  if (e != 0) kiln_fatal("cannot start the wasm thread: %s", strerror(e));
  pthread_join(th, NULL);
  pthread_attr_destroy(&attr);
  return ts.result;
}
