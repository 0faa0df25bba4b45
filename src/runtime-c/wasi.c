/*
 * WASI preview1 (wasi_snapshot_preview1): grants, descriptor table, args/environment,
 * process functions and the import table. The other areas live in wasi_fd.c, wasi_path.c,
 * wasi_clock.c (clocks, random, poll, sched) and wasi_sock.c.
 *
 * Default deny: the guest sees stdin/stdout/stderr and its argv, nothing else. Grants:
 *   - embedded at compile time (`kiln compile --dir/--dir-ro/--env/--inherit-env`): the
 *     compiler links an object defining `kiln_embedded_grants` (format below);
 *   - at run time through the KILN_GRANTS environment variable, read ONLY when the
 *     executable was built with `--allow-runtime-grants` (record 'G'); otherwise its
 *     presence is an error, so a grant is never silently dropped. KILN_GRANTS is never
 *     passed on to the guest, even with --inherit-env.
 * Runtime grants add to the embedded ones. A bad grant (missing directory, malformed
 * KILN_GRANTS) prints `kiln: <reason>` and exits 1 before any guest code runs.
 *
 * Host functions are plain C functions with the compiled-code ABI: the first argument is
 * the importing instance's vmctx, so guest pointers are checked against its memory 0.
 */
#include "wasi.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Embedded grants: records `kind fields…`, each field NUL-terminated, ended by a 0 kind.
 *   'D' host guest   read-write preopen      'R' host guest   read-only preopen
 *   'E' NAME=VALUE   set a variable          'I' NAME         inherit one variable
 *   'A'              inherit the whole environment
 *   'G'              honour KILN_GRANTS at run time */
extern const unsigned char kiln_embedded_grants[] __attribute__((weak));

extern char **environ;

/* ---- errno mapping ---- */

int32_t wasi_errno(int e) {
  switch (e) {
  case 0: return W_ESUCCESS;
  case E2BIG: return W_E2BIG;
  case EACCES: return W_EACCES;
  case EADDRINUSE: return W_EADDRINUSE;
  case EADDRNOTAVAIL: return W_EADDRNOTAVAIL;
  case EAFNOSUPPORT: return W_EAFNOSUPPORT;
  case EAGAIN: return W_EAGAIN;
  case EALREADY: return W_EALREADY;
  case EBADF: return W_EBADF;
  case EBADMSG: return W_EBADMSG;
  case EBUSY: return W_EBUSY;
  case ECANCELED: return W_ECANCELED;
  case ECHILD: return W_ECHILD;
  case ECONNABORTED: return W_ECONNABORTED;
  case ECONNREFUSED: return W_ECONNREFUSED;
  case ECONNRESET: return W_ECONNRESET;
  case EDEADLK: return W_EDEADLK;
  case EDESTADDRREQ: return W_EDESTADDRREQ;
  case EDOM: return W_EDOM;
  case EDQUOT: return W_EDQUOT;
  case EEXIST: return W_EEXIST;
  case EFAULT: return W_EFAULT;
  case EFBIG: return W_EFBIG;
  case EHOSTUNREACH: return W_EHOSTUNREACH;
  case EIDRM: return W_EIDRM;
  case EILSEQ: return W_EILSEQ;
  case EINPROGRESS: return W_EINPROGRESS;
  case EINTR: return W_EINTR;
  case EINVAL: return W_EINVAL;
  case EIO: return W_EIO;
  case EISCONN: return W_EISCONN;
  case EISDIR: return W_EISDIR;
  case ELOOP: return W_ELOOP;
  case EMFILE: return W_EMFILE;
  case EMLINK: return W_EMLINK;
  case EMSGSIZE: return W_EMSGSIZE;
  case EMULTIHOP: return W_EMULTIHOP;
  case ENAMETOOLONG: return W_ENAMETOOLONG;
  case ENETDOWN: return W_ENETDOWN;
  case ENETRESET: return W_ENETRESET;
  case ENETUNREACH: return W_ENETUNREACH;
  case ENFILE: return W_ENFILE;
  case ENOBUFS: return W_ENOBUFS;
  case ENODEV: return W_ENODEV;
  case ENOENT: return W_ENOENT;
  case ENOEXEC: return W_ENOEXEC;
  case ENOLCK: return W_ENOLCK;
  case ENOLINK: return W_ENOLINK;
  case ENOMEM: return W_ENOMEM;
  case ENOMSG: return W_ENOMSG;
  case ENOPROTOOPT: return W_ENOPROTOOPT;
  case ENOSPC: return W_ENOSPC;
  case ENOSYS: return W_ENOSYS;
  case ENOTCONN: return W_ENOTCONN;
  case ENOTDIR: return W_ENOTDIR;
  case ENOTEMPTY: return W_ENOTEMPTY;
  case ENOTRECOVERABLE: return W_ENOTRECOVERABLE;
  case ENOTSOCK: return W_ENOTSOCK;
  case EOPNOTSUPP: return W_ENOTSUP; /* == ENOTSUP on Linux */
  case ENOTTY: return W_ENOTTY;
  case ENXIO: return W_ENXIO;
  case EOVERFLOW: return W_EOVERFLOW;
  case EOWNERDEAD: return W_EOWNERDEAD;
  case EPERM: return W_EPERM;
  case EPIPE: return W_EPIPE;
  case EPROTO: return W_EPROTO;
  case EPROTONOSUPPORT: return W_EPROTONOSUPPORT;
  case EPROTOTYPE: return W_EPROTOTYPE;
  case ERANGE: return W_ERANGE;
  case EROFS: return W_EROFS;
  case ESPIPE: return W_ESPIPE;
  case ESRCH: return W_ESRCH;
  case ESTALE: return W_ESTALE;
  case ETIMEDOUT: return W_ETIMEDOUT;
  case ETXTBSY: return W_ETXTBSY;
  case EXDEV: return W_EXDEV;
  default: return W_EIO;
  }
}

uint8_t wasi_filetype(mode_t m) {
  if (S_ISREG(m)) return FT_REG;
  if (S_ISDIR(m)) return FT_DIR;
  if (S_ISCHR(m)) return FT_CHAR;
  if (S_ISBLK(m)) return FT_BLOCK;
  if (S_ISSOCK(m)) return FT_SOCK_STREAM;
  if (S_ISLNK(m)) return FT_SYMLINK;
  return FT_UNKNOWN; /* FIFOs too, as other runtimes report them */
}

static uint64_t ns_of(struct timespec t) { return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec; }

void wasi_put_filestat(uint8_t *p, const struct stat *st) {
  memset(p, 0, 64);
  put64(p + 0, (uint64_t)st->st_dev);
  put64(p + 8, (uint64_t)st->st_ino);
  p[16] = wasi_filetype(st->st_mode);
  put64(p + 24, (uint64_t)st->st_nlink);
  put64(p + 32, (uint64_t)st->st_size);
  put64(p + 40, ns_of(st->st_atim));
  put64(p + 48, ns_of(st->st_mtim));
  put64(p + 56, ns_of(st->st_ctim));
}

/* ---- descriptor table ---- */

#define WASI_MAX_FDS 4096
static wasi_fd *fds;
static uint32_t nfds; /* slots allocated */

static void table_init(void) {
  if (fds) return;
  nfds = 16;
  fds = calloc(nfds, sizeof *fds);
  if (!fds) kiln_fatal("out of memory");
  for (uint32_t i = 0; i < nfds; i++) fds[i].host = -1;
}

uint64_t wasi_rights_for(uint8_t type, bool readonly) {
  uint64_t r;
  switch (type) {
  case FT_REG: r = R_FILE; break;
  case FT_DIR: r = R_DIR; break;
  case FT_SOCK_STREAM:
  case FT_SOCK_DGRAM: r = R_SOCK; break;
  case FT_CHAR: r = R_STREAM & ~(R_FD_SEEK | R_FD_TELL); break;
  default: r = R_STREAM; break;
  }
  if (readonly) r &= ~(R_FILE_WRITE | R_DIR_WRITE);
  return r;
}

wasi_fd *wasi_fd_slot(int32_t fd) {
  table_init();
  if (fd < 0 || (uint32_t)fd >= nfds) return NULL;
  return &fds[fd];
}

wasi_fd *wasi_fd_get(int32_t fd, uint64_t need, int32_t *err) {
  wasi_fd *f = wasi_fd_slot(fd);
  if (!f || f->host < 0) {
    *err = W_EBADF;
    return NULL;
  }
  if ((f->rights & need) != need) {
    *err = W_ENOTCAPABLE;
    return NULL;
  }
  return f;
}

int32_t wasi_fd_add(int host, uint8_t type, uint64_t rights, uint64_t inheriting, bool readonly) {
  table_init();
  uint32_t i = 3;
  while (i < nfds && fds[i].host >= 0) i++;
  if (i == nfds) {
    if (nfds >= WASI_MAX_FDS) return -1;
    uint32_t n = nfds * 2;
    wasi_fd *g = realloc(fds, n * sizeof *g);
    if (!g) return -1;
    memset(g + nfds, 0, (n - nfds) * sizeof *g);
    for (uint32_t k = nfds; k < n; k++) g[k].host = -1;
    fds = g;
    nfds = n;
  }
  fds[i] = (wasi_fd){.host = host, .type = type, .readonly = readonly, .rights = rights, .inheriting = inheriting};
  return (int32_t)i;
}

#include <dirent.h>
void wasi_fd_release(wasi_fd *f) {
  if (f->dir) closedir((DIR *)f->dir);
  if (f->host >= 0) close(f->host);
  free(f->preopen);
  *f = (wasi_fd){.host = -1};
}

static void add_stdio(int fd) {
  struct stat st;
  if (fstat(fd, &st) != 0) return; /* not open: stays closed for the guest too */
  uint8_t t = wasi_filetype(st.st_mode);
  uint64_t r = wasi_rights_for(t, false);
  fds[fd] = (wasi_fd){.host = fd, .type = t, .rights = r, .inheriting = 0};
}

/* ---- grants ---- */

typedef struct {
  char kind;
  char *a, *b;
} grant;
static grant *grants;
static size_t ngrants;
static bool allow_runtime;

static void add_grant(char kind, const char *a, const char *b) {
  grant *g = realloc(grants, (ngrants + 1) * sizeof *g);
  if (!g) kiln_fatal("out of memory");
  grants = g;
  grants[ngrants++] = (grant){kind, a ? strdup(a) : NULL, b ? strdup(b) : NULL};
}

static void parse_embedded(const unsigned char *p) {
  while (*p) {
    char kind = (char)*p++;
    const char *a = NULL, *b = NULL;
    switch (kind) {
    case 'D':
    case 'R':
      a = (const char *)p, p += strlen(a) + 1;
      b = (const char *)p, p += strlen(b) + 1;
      break;
    case 'E':
    case 'I':
      a = (const char *)p, p += strlen(a) + 1;
      break;
    case 'A': break;
    case 'G': allow_runtime = true; continue;
    default: kiln_fatal("corrupt embedded grants (record '%c')", kind);
    }
    add_grant(kind, a, b);
  }
}

/* Splits KILN_GRANTS into words: ASCII whitespace separates, backslash quotes the next byte. */
static char **split_words(const char *s, size_t *n) {
  char **words = NULL;
  *n = 0;
  size_t len = strlen(s);
  char *buf = malloc(len + 1);
  if (!buf) kiln_fatal("out of memory");
  size_t i = 0;
  while (i < len) {
    while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) i++;
    if (i >= len) break;
    size_t o = 0;
    while (i < len && !(s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) {
      if (s[i] == '\\') {
        if (++i >= len) kiln_fatal("KILN_GRANTS: trailing backslash");
      }
      buf[o++] = s[i++];
    }
    buf[o] = 0;
    words = realloc(words, (*n + 1) * sizeof *words);
    if (!words) kiln_fatal("out of memory");
    words[(*n)++] = strndup(buf, o);
  }
  free(buf);
  return words;
}

/* HOST[::GUEST] (the last "::" separates, so a host path may contain "::"). */
static void add_dir_grant(char kind, const char *spec, const char *flag) {
  if (!*spec) kiln_fatal("KILN_GRANTS: %s needs a directory", flag);
  const char *sep = NULL;
  for (const char *q = strstr(spec, "::"); q; q = strstr(q + 1, "::")) sep = q;
  if (sep) {
    char *host = strndup(spec, (size_t)(sep - spec));
    if (!*host || !sep[2]) kiln_fatal("KILN_GRANTS: %s %s: empty host or guest path", flag, spec);
    add_grant(kind, host, sep + 2);
    free(host);
  } else {
    add_grant(kind, spec, spec);
  }
}

static void parse_runtime_grants(const char *s) {
  size_t n;
  char **w = split_words(s, &n);
  for (size_t i = 0; i < n; i++) {
    char *flag = w[i], *val = NULL;
    char *eq = strchr(flag, '=');
    if (strncmp(flag, "--", 2) == 0 && eq) *eq = 0, val = eq + 1;
    bool takes = strcmp(flag, "--dir") == 0 || strcmp(flag, "--dir-ro") == 0 || strcmp(flag, "--env") == 0;
    if (takes && !val) {
      if (i + 1 >= n) kiln_fatal("KILN_GRANTS: %s needs a value", flag);
      val = w[++i];
    }
    if (strcmp(flag, "--dir") == 0) add_dir_grant('D', val, flag);
    else if (strcmp(flag, "--dir-ro") == 0) add_dir_grant('R', val, flag);
    else if (strcmp(flag, "--env") == 0) {
      if (!*val || *val == '=') kiln_fatal("KILN_GRANTS: --env needs NAME or NAME=VALUE");
      add_grant(strchr(val, '=') ? 'E' : 'I', val, NULL);
    } else if (strcmp(flag, "--inherit-env") == 0 && !val) add_grant('A', NULL, NULL);
    else kiln_fatal("KILN_GRANTS: unknown grant %s (expected --dir, --dir-ro, --env, --inherit-env)", w[i]);
  }
  for (size_t i = 0; i < n; i++) free(w[i]);
  free(w);
}

/* ---- environment ---- */

static char **guest_env;
static size_t nguest_env;

static bool is_runtime_var(const char *kv) { return strncmp(kv, "KILN_GRANTS=", 12) == 0; }

static void env_set(const char *kv) {
  size_t nl = strcspn(kv, "=");
  for (size_t i = 0; i < nguest_env; i++)
    if (strncmp(guest_env[i], kv, nl) == 0 && guest_env[i][nl] == '=') {
      guest_env[i] = strdup(kv);
      return;
    }
  char **e = realloc(guest_env, (nguest_env + 1) * sizeof *e);
  if (!e) kiln_fatal("out of memory");
  guest_env = e;
  guest_env[nguest_env++] = strdup(kv);
}

static void apply_grants(char **host_env) {
  for (size_t i = 0; i < ngrants; i++) {
    grant *g = &grants[i];
    switch (g->kind) {
    case 'D':
    case 'R': {
      int h = open(g->a, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      if (h < 0) kiln_fatal("--dir%s %s: %s", g->kind == 'R' ? "-ro" : "", g->a, strerror(errno));
      int32_t fd = wasi_fd_add(h, FT_DIR, 0, 0, g->kind == 'R');
      if (fd < 0) kiln_fatal("too many preopened directories");
      wasi_fd *f = wasi_fd_slot(fd);
      f->rights = wasi_rights_for(FT_DIR, f->readonly);
      f->inheriting = f->rights | wasi_rights_for(FT_REG, f->readonly);
      f->preopen = strdup(g->b);
      break;
    }
    case 'E': env_set(g->a); break;
    case 'I':
      for (char **e = host_env; e && *e; e++) {
        size_t nl = strlen(g->a);
        if (strncmp(*e, g->a, nl) == 0 && (*e)[nl] == '=' && !is_runtime_var(*e)) env_set(*e);
      }
      break;
    case 'A':
      for (char **e = host_env; e && *e; e++)
        if (!is_runtime_var(*e)) env_set(*e);
      break;
    }
  }
}

/* ---- args ---- */

static int guest_argc;
static char **guest_argv;

void kiln_wasi_set_args(int argc, char **argv) {
  guest_argc = argc;
  guest_argv = argv;
  table_init();
  for (int fd = 0; fd < 3; fd++) add_stdio(fd);
  if (&kiln_embedded_grants && kiln_embedded_grants) parse_embedded(kiln_embedded_grants);
  const char *rt = getenv("KILN_GRANTS");
  if (rt) {
    if (!allow_runtime)
      kiln_fatal("KILN_GRANTS is set but this executable was built without --allow-runtime-grants; unset it");
    parse_runtime_grants(rt);
  }
  apply_grants(environ);
}

static int32_t strings_sizes(kiln_vmctx_t *vm, char **strs, size_t n, uint32_t count_ptr, uint32_t size_ptr) {
  uint8_t *c = gptr(vm, count_ptr, 4), *s = gptr(vm, size_ptr, 4);
  if (!c || !s) return W_EFAULT;
  uint64_t size = 0;
  for (size_t i = 0; i < n; i++) size += strlen(strs[i]) + 1;
  if (size > UINT32_MAX) return W_EOVERFLOW;
  put32(c, (uint32_t)n);
  put32(s, (uint32_t)size);
  return W_ESUCCESS;
}

/* Writes the pointer array and the strings; everything is checked before anything is written. */
static int32_t strings_get(kiln_vmctx_t *vm, char **strs, size_t n, uint32_t ptrs, uint32_t buf) {
  uint64_t size = 0;
  for (size_t i = 0; i < n; i++) size += strlen(strs[i]) + 1;
  uint8_t *pv = garray(vm, ptrs, n, 4), *bv = gptr(vm, buf, size);
  if (!pv || !bv) return W_EFAULT;
  uint64_t at = 0;
  for (size_t i = 0; i < n; i++) {
    size_t len = strlen(strs[i]) + 1;
    memmove(bv + at, strs[i], len);
    put32(pv + 4 * i, (uint32_t)(buf + at));
    at += len;
  }
  return W_ESUCCESS;
}

static int32_t args_sizes_get(kiln_vmctx_t *vm, uint32_t argc_ptr, uint32_t size_ptr) {
  return strings_sizes(vm, guest_argv, (size_t)guest_argc, argc_ptr, size_ptr);
}
static int32_t args_get(kiln_vmctx_t *vm, uint32_t argv_ptr, uint32_t buf_ptr) {
  return strings_get(vm, guest_argv, (size_t)guest_argc, argv_ptr, buf_ptr);
}
static int32_t environ_sizes_get(kiln_vmctx_t *vm, uint32_t count_ptr, uint32_t size_ptr) {
  return strings_sizes(vm, guest_env, nguest_env, count_ptr, size_ptr);
}
static int32_t environ_get(kiln_vmctx_t *vm, uint32_t env_ptr, uint32_t buf_ptr) {
  return strings_get(vm, guest_env, nguest_env, env_ptr, buf_ptr);
}

/* ---- prestat ---- */

static int32_t fd_prestat_get(kiln_vmctx_t *vm, int32_t fd, uint32_t ptr) {
  int32_t err;
  wasi_fd *f = wasi_fd_get(fd, 0, &err);
  if (!f) return err;
  if (!f->preopen) return W_EBADF;
  uint8_t *p = gptr(vm, ptr, 8);
  if (!p) return W_EFAULT;
  memset(p, 0, 8);
  put32(p + 4, (uint32_t)strlen(f->preopen));
  return W_ESUCCESS;
}

static int32_t fd_prestat_dir_name(kiln_vmctx_t *vm, int32_t fd, uint32_t ptr, uint32_t len) {
  int32_t err;
  wasi_fd *f = wasi_fd_get(fd, 0, &err);
  if (!f) return err;
  if (!f->preopen) return W_EBADF;
  size_t n = strlen(f->preopen);
  if (len < n) return W_ENAMETOOLONG;
  uint8_t *p = gptr(vm, ptr, n);
  if (!p) return W_EFAULT;
  memcpy(p, f->preopen, n);
  return W_ESUCCESS;
}

/* ---- process ---- */

static _Noreturn void proc_exit(kiln_vmctx_t *vm, uint32_t code) {
  (void)vm;
  fflush(NULL);
  _exit((int)code);
}

static int32_t proc_raise(kiln_vmctx_t *vm, uint32_t sig) {
  (void)vm;
  static const int map[] = {0,       SIGHUP,  SIGINT,  SIGQUIT, SIGILL,  SIGTRAP,   SIGABRT, SIGBUS,
                            SIGFPE,  SIGKILL, SIGUSR1, SIGSEGV, SIGUSR2, SIGPIPE,   SIGALRM, SIGTERM,
                            SIGCHLD, SIGCONT, SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU,   SIGURG,  SIGXCPU,
                            SIGXFSZ, SIGVTALRM, SIGPROF, SIGWINCH, SIGPOLL, SIGPWR, SIGSYS};
  if (sig == 0 || sig >= sizeof map / sizeof map[0]) return W_EINVAL;
  int s = map[sig];
  fflush(NULL);
  /* The guest gets the default action: our fault handlers must not treat it as a wasm trap. */
  signal(s, SIG_DFL);
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, s);
  pthread_sigmask(SIG_UNBLOCK, &set, NULL);
  if (raise(s) != 0) return wasi_errno(errno);
  return W_ESUCCESS;
}

/* ---- the import table ---- */

#define WASI_FN(name) int32_t wasi_##name()
/* Implemented in the other wasi*.c files (declared loosely: only their addresses are taken). */
WASI_FN(fd_advise); WASI_FN(fd_allocate); WASI_FN(fd_close); WASI_FN(fd_datasync); WASI_FN(fd_fdstat_get);
WASI_FN(fd_fdstat_set_flags); WASI_FN(fd_fdstat_set_rights); WASI_FN(fd_filestat_get);
WASI_FN(fd_filestat_set_size); WASI_FN(fd_filestat_set_times); WASI_FN(fd_pread); WASI_FN(fd_pwrite);
WASI_FN(fd_read); WASI_FN(fd_readdir); WASI_FN(fd_renumber); WASI_FN(fd_seek); WASI_FN(fd_sync);
WASI_FN(fd_tell); WASI_FN(fd_write); WASI_FN(path_create_directory); WASI_FN(path_filestat_get);
WASI_FN(path_filestat_set_times); WASI_FN(path_link); WASI_FN(path_open); WASI_FN(path_readlink);
WASI_FN(path_remove_directory); WASI_FN(path_rename); WASI_FN(path_symlink); WASI_FN(path_unlink_file);
WASI_FN(clock_res_get); WASI_FN(clock_time_get); WASI_FN(random_get); WASI_FN(poll_oneoff);
WASI_FN(sched_yield); WASI_FN(sock_accept); WASI_FN(sock_recv); WASI_FN(sock_send); WASI_FN(sock_shutdown);

typedef struct {
  const char *name;
  const char *sig;
  void *fn;
} host_func;

#define F(name, sig) {#name, sig, (void *)wasi_##name}
static const host_func wasi_funcs[] = {
    {"args_get", "ii>i", (void *)args_get},
    {"args_sizes_get", "ii>i", (void *)args_sizes_get},
    {"environ_get", "ii>i", (void *)environ_get},
    {"environ_sizes_get", "ii>i", (void *)environ_sizes_get},
    {"fd_prestat_get", "ii>i", (void *)fd_prestat_get},
    {"fd_prestat_dir_name", "iii>i", (void *)fd_prestat_dir_name},
    {"proc_exit", "i>", (void *)proc_exit},
    {"proc_raise", "i>i", (void *)proc_raise},
    F(clock_res_get, "ii>i"),
    F(clock_time_get, "iIi>i"),
    F(fd_advise, "iIIi>i"),
    F(fd_allocate, "iII>i"),
    F(fd_close, "i>i"),
    F(fd_datasync, "i>i"),
    F(fd_fdstat_get, "ii>i"),
    F(fd_fdstat_set_flags, "ii>i"),
    F(fd_fdstat_set_rights, "iII>i"),
    F(fd_filestat_get, "ii>i"),
    F(fd_filestat_set_size, "iI>i"),
    F(fd_filestat_set_times, "iIIi>i"),
    F(fd_pread, "iiiIi>i"),
    F(fd_pwrite, "iiiIi>i"),
    F(fd_read, "iiii>i"),
    F(fd_readdir, "iiiIi>i"),
    F(fd_renumber, "ii>i"),
    F(fd_seek, "iIii>i"),
    F(fd_sync, "i>i"),
    F(fd_tell, "ii>i"),
    F(fd_write, "iiii>i"),
    F(path_create_directory, "iii>i"),
    F(path_filestat_get, "iiiii>i"),
    F(path_filestat_set_times, "iiiiIIi>i"),
    F(path_link, "iiiiiii>i"),
    F(path_open, "iiiiiIIii>i"),
    F(path_readlink, "iiiiii>i"),
    F(path_remove_directory, "iii>i"),
    F(path_rename, "iiiiii>i"),
    F(path_symlink, "iiiii>i"),
    F(path_unlink_file, "iii>i"),
    F(poll_oneoff, "iiii>i"),
    F(random_get, "ii>i"),
    F(sched_yield, ">i"),
    F(sock_accept, "iii>i"),
    F(sock_recv, "iiiiii>i"),
    F(sock_send, "iiiii>i"),
    F(sock_shutdown, "ii>i"),
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
