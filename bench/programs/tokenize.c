/* Tokenizer + recursive-descent parser/evaluator for a small expression language
 * (let-bindings, identifiers, integers, + - * / % ( ), comparisons) over a generated
 * 48 KiB source text; one full tokenize+parse+evaluate pass per unit of size. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SRC_MAX (48 * 1024)

enum { T_EOF, T_NUM, T_IDENT, T_LET, T_OP, T_LP, T_RP, T_EQ, T_SEMI };
typedef struct { uint8_t kind; char op; uint32_t num; uint32_t hash; } Tok;

static char src[SRC_MAX + 256];
static Tok toks[SRC_MAX];
static int ntok, pos;
static uint32_t vars[256];

static int tokenize(const char *s) {
  int n = 0;
  for (;;) {
    while (*s == ' ' || *s == '\n' || *s == '\t') s++;
    Tok t = {0};
    char c = *s;
    if (c == 0) { t.kind = T_EOF; toks[n++] = t; return n; }
    if (c >= '0' && c <= '9') {
      uint32_t v = 0;
      while (*s >= '0' && *s <= '9') v = v * 10 + (uint32_t)(*s++ - '0');
      t.kind = T_NUM; t.num = v;
    } else if ((c >= 'a' && c <= 'z') || c == '_') {
      const char *b = s;
      uint32_t h = 5381;
      while ((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_') h = h * 33 + (uint8_t)*s++;
      if (s - b == 3 && memcmp(b, "let", 3) == 0) t.kind = T_LET;
      else { t.kind = T_IDENT; t.hash = h; }
    } else {
      s++;
      switch (c) {
      case '(': t.kind = T_LP; break;
      case ')': t.kind = T_RP; break;
      case ';': t.kind = T_SEMI; break;
      case '=': if (*s == '=') { s++; t.kind = T_OP; t.op = 'e'; } else t.kind = T_EQ; break;
      case '<': t.kind = T_OP; t.op = '<'; break;
      case '+': case '-': case '*': case '/': case '%': t.kind = T_OP; t.op = c; break;
      default: printf("bad character %d\n", c); exit(1);
      }
    }
    toks[n++] = t;
  }
}

static uint32_t expr(void);

static uint32_t primary(void) {
  Tok *t = &toks[pos++];
  switch (t->kind) {
  case T_NUM: return t->num;
  case T_IDENT: return vars[t->hash & 255];
  case T_LP: { uint32_t v = expr(); pos++; /* ')' */ return v; }
  case T_OP: if (t->op == '-') return 0u - primary(); /* fallthrough */
  default: printf("parse error at token %d\n", pos - 1); exit(1);
  }
}

static int prec(const Tok *t) {
  if (t->kind != T_OP) return -1;
  switch (t->op) {
  case 'e': case '<': return 1;
  case '+': case '-': return 2;
  default: return 3;
  }
}

static uint32_t binary(int minp) {
  uint32_t lhs = primary();
  for (;;) {
    Tok *t = &toks[pos];
    int p = prec(t);
    if (p < minp) return lhs;
    pos++;
    uint32_t rhs = binary(p + 1);
    switch (t->op) {
    case '+': lhs += rhs; break;
    case '-': lhs -= rhs; break;
    case '*': lhs *= rhs; break;
    case '/': lhs = rhs ? lhs / rhs : 0; break;
    case '%': lhs = rhs ? lhs % rhs : 0; break;
    case '<': lhs = lhs < rhs; break;
    default: lhs = lhs == rhs; break;
    }
  }
}

static uint32_t expr(void) { return binary(1); }

static uint32_t program(void) {
  uint32_t acc = 0;
  pos = 0;
  while (toks[pos].kind != T_EOF) {
    if (toks[pos].kind == T_LET) {
      uint32_t h = toks[pos + 1].hash;
      pos += 3; /* let name = */
      vars[h & 255] = expr();
      acc = acc * 31 + vars[h & 255];
    } else {
      acc ^= expr();
    }
    pos++; /* ';' */
  }
  return acc;
}

static uint32_t rs = 42;
static uint32_t rnd(uint32_t n) { rs = rs * 1103515245u + 12345u; return (rs >> 16) % n; }
static const char *names[] = {"alpha", "beta", "gamma", "delta", "x", "y", "z", "count", "total_sum", "idx"};
static int len;

static void put(const char *s) { size_t n = strlen(s); memcpy(src + len, s, n); len += (int)n; }

static void gen_expr(int depth) {
  if (depth == 0 || rnd(3) == 0) {
    char b[16];
    if (rnd(2)) { snprintf(b, sizeof b, "%u", rnd(100000)); put(b); }
    else put(names[rnd(10)]);
    return;
  }
  if (rnd(4) == 0) { put("("); gen_expr(depth - 1); put(")"); return; }
  gen_expr(depth - 1);
  static const char *ops[] = {" + ", " - ", " * ", " / ", " % ", " < ", " == ", "+", "*"};
  put(ops[rnd(9)]);
  gen_expr(depth - 1);
}

int main(int argc, char **argv) {
  int passes = argc > 1 ? atoi(argv[1]) : 1500;
  while (len < SRC_MAX - 200) {
    if (rnd(3)) { put("let "); put(names[rnd(10)]); put(" = "); }
    gen_expr(6);
    put(";\n");
  }
  src[len] = 0;
  uint32_t acc = 0;
  for (int p = 0; p < passes; p++) {
    memset(vars, 0, sizeof vars);
    vars[p & 255] = (uint32_t)p;
    ntok = tokenize(src);
    acc = acc * 1000003u + program() + (uint32_t)ntok;
  }
  printf("tokenize passes=%d bytes=%d tokens=%d checksum=%08x\n", passes, len, ntok, acc);
  return 0;
}
