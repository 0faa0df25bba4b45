/*
 * Spec driver entry point: one executable per .wast file runs a list of commands, each
 * under sigsetjmp so a trap ends only that command. Reads the file named by argv[1] (or
 * stdin), prints one line per command — `<line> pass`, `<line> fail <why>`,
 * `<line> result <values>` — then `summary <passed> <failed>`; exit 0 iff nothing failed.
 *
 * Commands (tokens separated by blanks; "strings" take \\ \" \n \t and \hh hex escapes;
 * `#` starts a comment line; $label names an instance, default: the latest module):
 *   module [K] [$label]               instantiate module K (default 0) of kiln_modules
 *   register "name" [$label]          make an instance's exports importable as "name"
 *   invoke [$label] "f" ARGS...       print the results
 *   get [$label] "g"                  print a global's value
 *   assert_return [$label] "f" ARGS... -> EXPECTED...
 *   assert_get [$label] "g" -> EXPECTED
 *   assert_trap [$label] "f" ARGS... -> "message"     (prefix match, as the spec does)
 *   assert_exhaustion [$label] "f" ARGS... -> "message"
 *   assert_unlinkable K ["message"]   instantiation must fail to link
 *   assert_uninstantiable K ["message"]  instantiation must trap
 * Values: i32:N i64:N f32:BITS f64:BITS (N decimal, -N, or 0x hex; floats by bits),
 *   v128:0xHEX32 or v128:SHAPE:L0:L1:... (SHAPE i8x16 i16x8 i32x4 i64x2 f32x4 f64x2),
 *   ref.null[:func|:extern], ref.extern:N, and in EXPECTED also ref.func (any non-null),
 *   f32:nan:canonical, f32:nan:arithmetic (same for f64 and float lanes).
 */
#include "kiln_internal.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { NAN_NONE = 0, NAN_CANONICAL = 1, NAN_ARITHMETIC = 2 };
enum { REF_NONE = 0, REF_NULL = 1, REF_EXTERN = 2, REF_FUNC = 3 };

typedef struct {
  uint8_t type; /* KILN_VAL_*, 0 = any reference */
  uint64_t lo, hi;
  uint8_t nan;
  uint8_t ref;
  uint8_t lane_bits;     /* v128 given lane-wise: 8/16/32/64; 0 = whole */
  uint8_t float_lanes;   /* f32x4 / f64x2 */
  uint8_t lane_nan[16];
} value;

#define MAXV 64
#define MAXTOK 256

typedef struct {
  char *s;
  size_t len;
  bool quoted;
} token;

/* ---- tokenizer ---- */

static int hexval(int c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* Splits `line` in place; returns the number of tokens or -1 on a malformed string. */
static int tokenize(char *line, token *toks, int max) {
  int n = 0;
  char *p = line;
  while (*p) {
    while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n') p++;
    if (!*p) break;
    if (n == max) return -1;
    if (*p == '"') {
      char *out = ++p, *start = out;
      while (*p && *p != '"') {
        if (*p == '\\') {
          p++;
          int h1 = hexval(p[0]), h2 = h1 >= 0 ? hexval(p[1]) : -1;
          if (h1 >= 0 && h2 >= 0) {
            *out++ = (char)(h1 * 16 + h2);
            p += 2;
            continue;
          }
          switch (*p) {
          case 'n': *out++ = '\n'; break;
          case 't': *out++ = '\t'; break;
          case 'r': *out++ = '\r'; break;
          case '\\': *out++ = '\\'; break;
          case '"': *out++ = '"'; break;
          case '\'': *out++ = '\''; break;
          default: return -1;
          }
          p++;
        } else {
          *out++ = *p++;
        }
      }
      if (*p != '"') return -1;
      p++;
      toks[n++] = (token){start, (size_t)(out - start), true};
    } else {
      char *start = p;
      while (*p && *p != ' ' && *p != '\t' && *p != '\r' && *p != '\n') p++;
      if (*p) *p++ = 0;
      toks[n++] = (token){start, strlen(start), false};
    }
  }
  return n;
}

/* ---- values ---- */

static bool parse_u64(const char *s, uint64_t *out) {
  char *end;
  if (*s == '-') *out = (uint64_t)strtoll(s, &end, 0);
  else *out = strtoull(s, &end, 0);
  return end != s && *end == 0;
}

static bool parse_nan(const char *s, uint8_t *nan) {
  if (strcmp(s, "nan:canonical") == 0) return *nan = NAN_CANONICAL, true;
  if (strcmp(s, "nan:arithmetic") == 0) return *nan = NAN_ARITHMETIC, true;
  return false;
}

static bool parse_value(const char *s, value *v) {
  memset(v, 0, sizeof *v);
  if (strncmp(s, "ref.", 4) == 0) {
    v->type = 0;
    if (strcmp(s, "ref.null") == 0) return v->ref = REF_NULL, true;
    if (strcmp(s, "ref.null:func") == 0) return v->type = KILN_VAL_FUNC_REF, v->ref = REF_NULL, true;
    if (strcmp(s, "ref.null:extern") == 0) return v->type = KILN_VAL_EXTERN_REF, v->ref = REF_NULL, true;
    if (strcmp(s, "ref.func") == 0) return v->type = KILN_VAL_FUNC_REF, v->ref = REF_FUNC, true;
    if (strncmp(s, "ref.extern:", 11) == 0 && parse_u64(s + 11, &v->lo)) {
      v->type = KILN_VAL_EXTERN_REF;
      v->ref = REF_EXTERN;
      v->lo += 1; /* host reference N is represented as N + 1 (0 is null) */
      return true;
    }
    return false;
  }
  const char *colon = strchr(s, ':');
  if (!colon) return false;
  size_t tl = (size_t)(colon - s);
  const char *rest = colon + 1;
  if (tl == 3 && strncmp(s, "i32", 3) == 0) {
    v->type = KILN_VAL_I32;
    if (!parse_u64(rest, &v->lo)) return false;
    v->lo &= 0xffffffffu;
    return true;
  }
  if (tl == 3 && strncmp(s, "i64", 3) == 0) return v->type = KILN_VAL_I64, parse_u64(rest, &v->lo);
  if (tl == 3 && (strncmp(s, "f32", 3) == 0 || strncmp(s, "f64", 3) == 0)) {
    v->type = s[1] == '3' ? KILN_VAL_F32 : KILN_VAL_F64;
    if (parse_nan(rest, &v->nan)) return true;
    if (!parse_u64(rest, &v->lo)) return false;
    if (v->type == KILN_VAL_F32) v->lo &= 0xffffffffu;
    return true;
  }
  if (tl == 4 && strncmp(s, "v128", 4) == 0) {
    v->type = KILN_VAL_V128;
    if (rest[0] == '0' && rest[1] == 'x') {
      size_t n = strlen(rest + 2);
      if (n == 0 || n > 32) return false;
      for (const char *h = rest + 2; *h; h++) {
        int d = hexval(*h);
        if (d < 0) return false;
        v->hi = (v->hi << 4) | (v->lo >> 60);
        v->lo = (v->lo << 4) | (uint64_t)d;
      }
      return true;
    }
    static const struct {
      const char *name;
      uint8_t bits, fl;
    } shapes[] = {{"i8x16", 8, 0}, {"i16x8", 16, 0}, {"i32x4", 32, 0}, {"i64x2", 64, 0}, {"f32x4", 32, 1}, {"f64x2", 64, 1}};
    for (size_t i = 0; i < 6; i++) {
      size_t sl = strlen(shapes[i].name);
      if (strncmp(rest, shapes[i].name, sl) != 0 || rest[sl] != ':') continue;
      v->lane_bits = shapes[i].bits;
      v->float_lanes = shapes[i].fl;
      int lanes = 128 / shapes[i].bits;
      char buf[512];
      snprintf(buf, sizeof buf, "%s", rest + sl + 1);
      char *save = NULL, *lane = strtok_r(buf, ":", &save);
      for (int l = 0; l < lanes; l++) {
        if (!lane) return false;
        uint64_t bits = 0;
        if (strcmp(lane, "nan") == 0) { /* "nan:canonical" was split at ':' */
          char *kind = strtok_r(NULL, ":", &save);
          char full[32];
          snprintf(full, sizeof full, "nan:%s", kind ? kind : "");
          if (!shapes[i].fl || !parse_nan(full, &v->lane_nan[l])) return false;
        } else if (!parse_u64(lane, &bits)) {
          return false;
        }
        uint64_t mask = shapes[i].bits == 64 ? ~0ull : ((1ull << shapes[i].bits) - 1);
        bits &= mask;
        int bit = l * shapes[i].bits;
        if (bit < 64) v->lo |= bits << bit;
        else v->hi |= bits << (bit - 64);
        lane = strtok_r(NULL, ":", &save);
      }
      return lane == NULL;
    }
    return false;
  }
  return false;
}

static int slots_of(uint8_t t) { return t == KILN_VAL_V128 ? 2 : 1; }

static void format_value(char *out, size_t n, uint8_t type, const uint64_t *slot) {
  switch (type) {
  case KILN_VAL_I32: snprintf(out, n, "i32:0x%08" PRIx32, (uint32_t)slot[0]); break;
  case KILN_VAL_F32: snprintf(out, n, "f32:0x%08" PRIx32, (uint32_t)slot[0]); break;
  case KILN_VAL_I64: snprintf(out, n, "i64:0x%016" PRIx64, slot[0]); break;
  case KILN_VAL_F64: snprintf(out, n, "f64:0x%016" PRIx64, slot[0]); break;
  case KILN_VAL_V128: snprintf(out, n, "v128:0x%016" PRIx64 "%016" PRIx64, slot[1], slot[0]); break;
  case KILN_VAL_FUNC_REF: snprintf(out, n, slot[0] ? "ref.func" : "ref.null:func"); break;
  case KILN_VAL_EXTERN_REF:
    if (slot[0]) snprintf(out, n, "ref.extern:%" PRIu64, slot[0] - 1);
    else snprintf(out, n, "ref.null:extern");
    break;
  default: snprintf(out, n, "?");
  }
}

static bool nan_ok(uint64_t bits, int width, uint8_t kind) {
  uint64_t sign = 1ull << (width - 1);
  uint64_t canon = width == 32 ? 0x7fc00000ull : 0x7ff8000000000000ull;
  uint64_t mag = bits & ~sign;
  if (kind == NAN_CANONICAL) return mag == canon;
  return (mag & canon) == canon; /* exponent all ones and quiet bit set */
}

static bool matches(const value *e, uint8_t type, const uint64_t *slot) {
  if (e->ref) {
    if (type != KILN_VAL_FUNC_REF && type != KILN_VAL_EXTERN_REF) return false;
    if (e->type && e->type != type) return false;
    if (e->ref == REF_NULL) return slot[0] == 0;
    if (e->ref == REF_FUNC) return slot[0] != 0;
    return slot[0] == e->lo;
  }
  if (e->type != type) return false;
  switch (type) {
  case KILN_VAL_I32: return (uint32_t)slot[0] == (uint32_t)e->lo;
  case KILN_VAL_I64: return slot[0] == e->lo;
  case KILN_VAL_F32: return e->nan ? nan_ok((uint32_t)slot[0], 32, e->nan) : (uint32_t)slot[0] == (uint32_t)e->lo;
  case KILN_VAL_F64: return e->nan ? nan_ok(slot[0], 64, e->nan) : slot[0] == e->lo;
  case KILN_VAL_V128: {
    if (!e->float_lanes) return slot[0] == e->lo && slot[1] == e->hi;
    int w = e->lane_bits, lanes = 128 / w;
    for (int l = 0; l < lanes; l++) {
      int bit = l * w;
      uint64_t mask = w == 64 ? ~0ull : ((1ull << w) - 1);
      uint64_t got = (bit < 64 ? slot[0] >> bit : slot[1] >> (bit - 64)) & mask;
      uint64_t want = (bit < 64 ? e->lo >> bit : e->hi >> (bit - 64)) & mask;
      if (e->lane_nan[l] ? !nan_ok(got, w, e->lane_nan[l]) : got != want) return false;
    }
    return true;
  }
  default: return false;
  }
}

/* ---- instances ---- */

typedef struct {
  char label[64];
  kiln_instance_t *inst;
} named_instance;

static named_instance instances[256];
static int ninstances;
static kiln_instance_t *current;

static const kiln_module_t *module_at(unsigned k) {
  if (kiln_modules) {
    for (unsigned i = 0; kiln_modules[i]; i++)
      if (i == k) return kiln_modules[i];
    return NULL;
  }
  return k == 0 && &kiln_module ? &kiln_module : NULL;
}

static kiln_instance_t *find_instance(const char *label) {
  for (int i = ninstances; i-- > 0;)
    if (strcmp(instances[i].label, label) == 0) return instances[i].inst;
  return NULL;
}

/* ---- guarded execution ---- */

typedef struct {
  void (*fn)(void *);
  void *arg;
} guarded_call;

/* Runs fn(arg); returns 0, or the trap code if it trapped. */
static uint32_t run_guarded(void (*fn)(void *), void *arg) {
  sigjmp_buf jb;
  sigjmp_buf *volatile prev = kiln_trap_jmp;
  int code = sigsetjmp(jb, 1);
  if (code == 0) {
    kiln_trap_jmp = &jb;
    fn(arg);
    kiln_trap_jmp = prev;
    return 0;
  }
  kiln_trap_jmp = prev;
  return (uint32_t)code;
}

typedef struct {
  kiln_array_call_fn call;
  kiln_funcref_t *f;
  uint64_t *args, *results;
} invoke_args;

static void do_invoke(void *p) {
  invoke_args *a = p;
  a->call(a->f->code, a->f->vmctx, a->args, a->results);
}

typedef struct {
  const kiln_module_t *m;
  kiln_instance_t *inst;
  char err[512];
} inst_args;

static void do_instantiate(void *p) {
  inst_args *a = p;
  a->inst = kiln_instantiate(a->m, a->err, sizeof a->err);
}

/* ---- commands ---- */

static unsigned passed, failed;
static long lineno;

static void report(const char *status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void report(const char *status, const char *fmt, ...) {
  char buf[4096] = "";
  if (fmt) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
  }
  if (strcmp(status, "fail") == 0) failed++;
  else passed++;
  printf("%ld %s%s%s\n", lineno, status, buf[0] ? " " : "", buf);
  fflush(stdout);
}

/* Parses `[$label] "name"` at toks[*i]; returns the instance or NULL (after reporting). */
static kiln_instance_t *target_of(token *toks, int n, int *i, const char **name, size_t *len) {
  kiln_instance_t *inst = current;
  if (*i < n && !toks[*i].quoted && toks[*i].s[0] == '$') {
    inst = find_instance(toks[*i].s);
    if (!inst) return report("fail", "unknown instance %s", toks[*i].s), NULL;
    (*i)++;
  }
  if (!inst) return report("fail", "no module instantiated"), NULL;
  if (*i >= n || !toks[*i].quoted) return report("fail", "expected a quoted export name"), NULL;
  *name = toks[*i].s;
  *len = toks[*i].len;
  (*i)++;
  return inst;
}

/* Invokes; returns -1 on a reported error, 0 on success, or a trap code. */
static int invoke(kiln_instance_t *inst, const char *name, size_t len, token *toks, int n, int *i, uint64_t *results,
                  const kiln_functype_t **type_out) {
  const kiln_export_t *e = kiln_find_export(inst->module, name, len);
  if (!e || e->kind != KILN_EXTERN_FUNC) return report("fail", "unknown function export \"%.*s\"", (int)len, name), -1;
  if (!e->array_call) return report("fail", "export \"%.*s\" has no array-call trampoline", (int)len, name), -1;
  const kiln_functype_t *t = &inst->module->types[inst->module->func_types[e->index]];
  uint64_t args[2 * MAXV] = {0};
  uint32_t nargs = 0, slot = 0;
  for (; *i < n && strcmp(toks[*i].s, "->") != 0; (*i)++, nargs++) {
    value v;
    if (!parse_value(toks[*i].s, &v) || v.nan || v.ref == REF_FUNC)
      return report("fail", "bad argument %s", toks[*i].s), -1;
    if (nargs >= t->nparams || nargs >= MAXV) return report("fail", "too many arguments"), -1;
    uint8_t pt = t->params[nargs];
    bool ok = v.ref ? (pt == KILN_VAL_FUNC_REF || pt == KILN_VAL_EXTERN_REF) && (!v.type || v.type == pt) : v.type == pt;
    if (!ok) return report("fail", "argument %u has the wrong type", nargs), -1;
    args[slot] = v.lo;
    if (pt == KILN_VAL_V128) args[slot + 1] = v.hi;
    slot += (uint32_t)slots_of(pt);
  }
  if (nargs != t->nparams) return report("fail", "expected %u arguments, got %u", t->nparams, nargs), -1;
  *type_out = t;
  invoke_args a = {e->array_call, &inst->funcs[e->index], args, results};
  return (int)run_guarded(do_invoke, &a);
}

static void format_results(char *out, size_t n, const kiln_functype_t *t, const uint64_t *results) {
  size_t at = 0;
  out[0] = 0;
  for (uint32_t r = 0, slot = 0; r < t->nresults; r++) {
    at += (size_t)snprintf(out + at, at < n ? n - at : 0, "%s", r ? " " : "");
    format_value(out + at, at < n ? n - at : 0, t->results[r], results + slot);
    at = strlen(out);
    slot += (uint32_t)slots_of(t->results[r]);
  }
}

static bool get_global(kiln_instance_t *inst, const char *name, size_t len, uint8_t *type, uint64_t *slots) {
  kiln_extern_t x;
  if (!kiln_instance_export(inst, name, len, &x) || x.kind != KILN_EXTERN_GLOBAL) {
    report("fail", "unknown global export \"%.*s\"", (int)len, name);
    return false;
  }
  *type = x.valtype;
  slots[0] = x.global->lo;
  slots[1] = x.global->hi;
  if (x.valtype == KILN_VAL_I32 || x.valtype == KILN_VAL_F32) slots[0] &= 0xffffffffu;
  return true;
}

static void check_results(const kiln_functype_t *t, const uint64_t *results, token *toks, int n, int i) {
  char got[4096];
  format_results(got, sizeof got, t, results);
  uint32_t r = 0, slot = 0;
  for (; i < n; i++, r++) {
    value e;
    if (!parse_value(toks[i].s, &e)) return report("fail", "bad expected value %s", toks[i].s);
    if (r >= t->nresults || !matches(&e, t->results[r], results + slot))
      return report("fail", "expected %s at result %u, got [%s]", toks[i].s, r, got);
    slot += (uint32_t)slots_of(t->results[r]);
  }
  if (r != t->nresults) return report("fail", "expected %u results, got [%s]", r, got);
  report("pass", NULL);
}

static void instantiate_cmd(token *toks, int n, int i, const char *mode) {
  unsigned k = 0;
  if (i < n && !toks[i].quoted && toks[i].s[0] != '$') k = (unsigned)strtoul(toks[i++].s, NULL, 10);
  const kiln_module_t *m = module_at(k);
  if (!m) return report("fail", "no module %u in this executable", k);
  inst_args a = {m, NULL, ""};
  uint32_t trap = run_guarded(do_instantiate, &a);
  if (strcmp(mode, "module") == 0) {
    if (trap) return report("fail", "instantiation trapped: %s", kiln_trap_message(trap));
    if (!a.inst) return report("fail", "instantiation failed: %s", a.err);
    current = a.inst;
    if (ninstances < 256) {
      instances[ninstances].inst = a.inst;
      snprintf(instances[ninstances].label, sizeof instances[ninstances].label, "%s",
               i < n && toks[i].s[0] == '$' ? toks[i].s : "");
      ninstances++;
    }
    return report("pass", NULL);
  }
  if (strcmp(mode, "assert_unlinkable") == 0) {
    if (trap) return report("fail", "expected a link error, got trap: %s", kiln_trap_message(trap));
    if (a.inst) return report("fail", "expected a link error, instantiation succeeded");
    return report("pass", "%s", a.err);
  }
  /* assert_uninstantiable */
  if (!trap) return report("fail", "expected a trap, %s", a.inst ? "instantiation succeeded" : a.err);
  report("pass", "%s", kiln_trap_message(trap));
}

static void run_line(char *line) {
  token toks[MAXTOK];
  int n = tokenize(line, toks, MAXTOK);
  if (n == 0 || (n > 0 && toks[0].s[0] == '#' && !toks[0].quoted)) return;
  if (n < 0) return report("fail", "malformed command");
  const char *cmd = toks[0].s;
  int i = 1;
  const char *name;
  size_t len;
  uint64_t results[2 * MAXV] = {0};
  const kiln_functype_t *t = NULL;
  if (strcmp(cmd, "module") == 0 || strcmp(cmd, "assert_unlinkable") == 0 || strcmp(cmd, "assert_uninstantiable") == 0)
    return instantiate_cmd(toks, n, i, cmd);
  if (strcmp(cmd, "register") == 0) {
    if (i >= n || !toks[i].quoted) return report("fail", "register needs a quoted name");
    kiln_instance_t *inst = i + 1 < n ? find_instance(toks[i + 1].s) : current;
    if (!inst) return report("fail", "no instance to register");
    kiln_register_instance(toks[i].s, toks[i].len, inst);
    return report("pass", NULL);
  }
  if (strcmp(cmd, "invoke") == 0 || strcmp(cmd, "assert_return") == 0 || strcmp(cmd, "assert_trap") == 0 ||
      strcmp(cmd, "assert_exhaustion") == 0) {
    kiln_instance_t *inst = target_of(toks, n, &i, &name, &len);
    if (!inst) return;
    int r = invoke(inst, name, len, toks, n, &i, results, &t);
    if (r < 0) return;
    if (i < n) i++; /* skip "->" */
    if (cmd[0] == 'i') {
      if (r) return report("fail", "trap: %s", kiln_trap_message((uint32_t)r));
      char got[4096];
      format_results(got, sizeof got, t, results);
      return report("result", "%s", got);
    }
    if (strcmp(cmd, "assert_return") == 0) {
      if (r) return report("fail", "trap: %s", kiln_trap_message((uint32_t)r));
      return check_results(t, results, toks, n, i);
    }
    /* assert_trap / assert_exhaustion */
    if (!r) return report("fail", "expected a trap, returned");
    const char *msg = kiln_trap_message((uint32_t)r);
    if (i < n && strncmp(msg, toks[i].s, toks[i].len) != 0)
      return report("fail", "expected trap \"%s\", got \"%s\"", toks[i].s, msg);
    return report("pass", NULL);
  }
  if (strcmp(cmd, "get") == 0 || strcmp(cmd, "assert_get") == 0) {
    kiln_instance_t *inst = target_of(toks, n, &i, &name, &len);
    if (!inst) return;
    uint8_t type;
    if (!get_global(inst, name, len, &type, results)) return;
    if (cmd[0] == 'g') {
      char got[128];
      format_value(got, sizeof got, type, results);
      return report("result", "%s", got);
    }
    if (i < n && strcmp(toks[i].s, "->") == 0) i++;
    uint8_t rt[1] = {type};
    kiln_functype_t ft = {0, 1, NULL, rt};
    return check_results(&ft, results, toks, n, i);
  }
  report("fail", "unknown command %s", cmd);
}

static int run_driver(void *arg) {
  FILE *in = arg;
  char *line = NULL;
  size_t cap = 0;
  while (getline(&line, &cap, in) >= 0) {
    lineno++;
    run_line(line);
  }
  free(line);
  printf("summary %u %u\n", passed, failed);
  fflush(stdout);
  return failed ? 1 : 0;
}

int main(int argc, char **argv) {
  kiln_install_signal_handlers();
  kiln_wasi_set_args(argc, argv);
  FILE *in = stdin;
  if (argc > 1 && strcmp(argv[1], "-") != 0) {
    in = fopen(argv[1], "r");
    if (!in) kiln_fatal("cannot open %s", argv[1]);
  }
  return kiln_run_on_wasm_stack(run_driver, in);
}
