/*
 * Runtime-private declarations shared by the runtime's C files. The compiler-visible
 * contract (vmctx, metadata, runtime function prototypes) is in the generated kiln_rt.h.
 */
#ifndef KILN_INTERNAL_H
#define KILN_INTERNAL_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <setjmp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kiln_rt.h"

/* One instantiated module. vmctx must stay the first member: kiln_vmctx_t* <-> kiln_instance_t*. */
typedef struct kiln_instance {
  kiln_vmctx_t vmctx;
  const kiln_module_t *module;
  kiln_memory_t **memories;
  kiln_global_cell_t **globals;
  kiln_table_t **tables;
  kiln_funcref_t *funcs;
  uint32_t *sig_ids;
  uint8_t *data_dropped;
  uint8_t *elem_dropped;
} kiln_instance_t;

/* An external value: what an import resolves to and what an export yields. */
typedef struct kiln_extern {
  uint8_t kind;           /* KILN_EXTERN_* */
  uint8_t valtype;        /* globals */
  uint8_t mutable_;       /* globals */
  kiln_funcref_t func;      /* functions: code, vmctx, sig_id */
  kiln_memory_t *memory;
  kiln_table_t *table;
  kiln_global_cell_t *global;
} kiln_extern_t;

/* ---- errors and traps (trap.c) ---- */
_Noreturn void kiln_fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Reports a trap: longjmp to the innermost kiln_guard, or print `wasm trap: MSG` and exit 134. */
_Noreturn void kiln_raise_trap(uint32_t code);
const char *kiln_trap_message(uint32_t code);
/* The innermost guard of this thread (spec driver); NULL: traps exit the process. */
extern __thread sigjmp_buf *kiln_trap_jmp;
void kiln_install_signal_handlers(void);
/* Makes code of `m` known to the signal handler (idempotent). */
void kiln_register_code(const kiln_module_t *m);
/* Makes a memory's reservation known to the signal handler. */
void kiln_register_memory(kiln_memory_t *mem);
/* Runs fn(arg) on a fresh thread with a KILN_WASM_STACK_SIZE stack and an alternate signal stack. */
int kiln_run_on_wasm_stack(int (*fn)(void *), void *arg);
/* The stack limit compiled code on the current thread must respect. */
uint64_t kiln_current_stack_limit(void);

/* ---- memories (memory.c) ---- */
/* Returns NULL and fills err when the reservation fails. */
kiln_memory_t *kiln_memory_new(uint64_t min_pages, uint64_t max_pages, uint32_t flags, bool explicit_bounds,
                             char *err, size_t errlen);
uint64_t kiln_memory_grow_obj(kiln_memory_t *mem, uint64_t delta_pages);
void kiln_memory_add_mirror(kiln_memory_t *mem, kiln_vmctx_t *vmctx);

/* ---- tables (table.c) ---- */
kiln_table_t *kiln_table_new(uint64_t min, uint64_t max, uint8_t elem_type, void *init);
uint64_t kiln_table_grow_obj(kiln_table_t *t, void *init, uint64_t delta);

/* ---- signatures (instance.c) ---- */
/* Process-wide canonical id (>= 1) of a signature; identical signatures get the same id. */
uint32_t kiln_sig_intern(uint32_t nparams, const uint8_t *params, uint32_t nresults, const uint8_t *results);
/* Signature from a string such as "iIfF>i" (i32 i64 f32 f64 v=v128 r=funcref e=externref). */
uint32_t kiln_sig_intern_str(const char *sig);

/* ---- instances (instance.c) ---- */
/* Link errors return NULL with a message in err; traps during initialisation go to kiln_raise_trap. */
kiln_instance_t *kiln_instantiate(const kiln_module_t *m, char *err, size_t errlen);
bool kiln_instance_export(kiln_instance_t *inst, const char *name, size_t len, kiln_extern_t *out);
const kiln_export_t *kiln_find_export(const kiln_module_t *m, const char *name, size_t len);
/* Makes inst's exports importable as module `name` (spec `register`). */
void kiln_register_instance(const char *name, size_t len, kiln_instance_t *inst);
/* Host modules: fill *out and return true when module.name exists. `importer` is the instance
 * whose import is being resolved (WASI functions run against the importer's memory 0). */
bool kiln_wasi_lookup(const char *name, size_t len, kiln_instance_t *importer, kiln_extern_t *out);
bool kiln_spectest_lookup(const char *name, size_t len, kiln_instance_t *importer, kiln_extern_t *out);

/* ---- WASI (wasi.c) ---- */
void kiln_wasi_set_args(int argc, char **argv);
/* exit status requested by proc_exit, for callers that run _start */

/* The module(s) linked into this executable (defined by the compiler's object files). */
extern const kiln_module_t kiln_module __attribute__((weak));
/* Multi-module executables (spec driver): NULL-terminated list, defined by a generated object. */
extern const kiln_module_t *const kiln_modules[] __attribute__((weak));

#define KILN_WASM_STACK_SIZE (32ull << 20)
#define KILN_WASM_STACK_GUARD (64ull << 10)

#endif
