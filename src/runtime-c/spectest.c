/*
 * The spec test suite's `spectest` host module: print functions, four globals, a table
 * (10, max 20, funcref) and a memory (1, max 2). Objects are created once per process and
 * shared by every importer, as with a registered instance.
 */
#include "kiln_internal.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static void print_(kiln_vmctx_t *vm) { (void)vm; }
static void print_i32(kiln_vmctx_t *vm, int32_t v) {
  (void)vm;
  printf("%" PRId32 " : i32\n", v);
  fflush(stdout);
}
static void print_i64(kiln_vmctx_t *vm, int64_t v) {
  (void)vm;
  printf("%" PRId64 " : i64\n", v);
  fflush(stdout);
}
static void print_f32(kiln_vmctx_t *vm, float v) {
  (void)vm;
  printf("%.9g : f32\n", (double)v);
  fflush(stdout);
}
static void print_f64(kiln_vmctx_t *vm, double v) {
  (void)vm;
  printf("%.17g : f64\n", v);
  fflush(stdout);
}
static void print_i32_f32(kiln_vmctx_t *vm, int32_t a, float b) {
  print_i32(vm, a);
  print_f32(vm, b);
}
static void print_f64_f64(kiln_vmctx_t *vm, double a, double b) {
  print_f64(vm, a);
  print_f64(vm, b);
}

static const struct {
  const char *name, *sig;
  void *fn;
} funcs[] = {
    {"print", ">", (void *)print_},
    {"print_i32", "i>", (void *)print_i32},
    {"print_i64", "I>", (void *)print_i64},
    {"print_f32", "f>", (void *)print_f32},
    {"print_f64", "F>", (void *)print_f64},
    {"print_i32_f32", "if>", (void *)print_i32_f32},
    {"print_f64_f64", "FF>", (void *)print_f64_f64},
};

static kiln_global_cell_t g_i32 = {666, 0}, g_i64 = {666, 0}, g_f32, g_f64;
static kiln_table_t *table;
static kiln_memory_t *memory;

bool kiln_spectest_lookup(const char *name, size_t len, kiln_instance_t *importer, kiln_extern_t *out) {
  memset(out, 0, sizeof *out);
#define IS(s) (strlen(s) == len && memcmp(s, name, len) == 0)
  for (size_t i = 0; i < sizeof funcs / sizeof funcs[0]; i++) {
    if (IS(funcs[i].name)) {
      out->kind = KILN_EXTERN_FUNC;
      out->func.code = funcs[i].fn;
      out->func.vmctx = &importer->vmctx;
      out->func.sig_id = kiln_sig_intern_str(funcs[i].sig);
      return true;
    }
  }
  struct {
    const char *name;
    kiln_global_cell_t *cell;
    uint8_t type;
  } globals[] = {{"global_i32", &g_i32, KILN_VAL_I32},
                 {"global_i64", &g_i64, KILN_VAL_I64},
                 {"global_f32", &g_f32, KILN_VAL_F32},
                 {"global_f64", &g_f64, KILN_VAL_F64}};
  float f = 666.6f;
  double d = 666.6;
  memcpy(&g_f32.lo, &f, 4);
  memcpy(&g_f64.lo, &d, 8);
  for (size_t i = 0; i < 4; i++) {
    if (IS(globals[i].name)) {
      out->kind = KILN_EXTERN_GLOBAL;
      out->global = globals[i].cell;
      out->valtype = globals[i].type;
      out->mutable_ = 0;
      return true;
    }
  }
  if (IS("table")) {
    if (!table) table = kiln_table_new(10, 20, KILN_VAL_FUNC_REF, NULL);
    out->kind = KILN_EXTERN_TABLE;
    out->table = table;
    return true;
  }
  if (IS("memory")) {
    if (!memory) {
      char err[256];
      memory = kiln_memory_new(1, 2, KILN_LIMIT_HAS_MAX, false, err, sizeof err);
      if (!memory) kiln_fatal("%s", err);
    }
    out->kind = KILN_EXTERN_MEMORY;
    out->memory = memory;
    return true;
  }
#undef IS
  return false;
}
