/*
 * Command entry point: instantiate the linked module (imports resolved to WASI, spectest or
 * nothing: `kiln: unknown import M.N`, exit 1), run its start function, then `_start` (a
 * WASI command) or `_initialize` (a reactor). proc_exit ends the process with its code; a
 * trap prints `wasm trap: MSG` and exits 134. Everything runs on a thread with a known,
 * large stack so deep but legal recursion works and the stack limit is exact.
 */
#include "kiln_internal.h"

#include <stdio.h>

static const kiln_module_t *linked_module(void) {
  if (&kiln_module) return &kiln_module;
  if (kiln_modules && kiln_modules[0]) return kiln_modules[0];
  return NULL;
}

static void call_export(kiln_instance_t *inst, const kiln_export_t *e) {
  kiln_funcref_t *f = &inst->funcs[e->index];
  uint64_t none[2] = {0, 0};
  if (e->array_call) e->array_call(f->code, f->vmctx, none, none);
  else ((void (*)(kiln_vmctx_t *))f->code)(f->vmctx);
}

static int run_command(void *arg) {
  (void)arg;
  char err[512];
  const kiln_module_t *m = linked_module();
  kiln_instance_t *inst = kiln_instantiate(m, err, sizeof err);
  if (!inst) kiln_fatal("%s", err);
  const kiln_export_t *e = kiln_find_export(m, "_start", 6);
  if (!e || e->kind != KILN_EXTERN_FUNC) e = kiln_find_export(m, "_initialize", 11);
  if (e && e->kind == KILN_EXTERN_FUNC) call_export(inst, e);
  fflush(stdout);
  return 0;
}

int main(int argc, char **argv) {
  kiln_install_signal_handlers();
  kiln_wasi_set_args(argc, argv);
  return kiln_run_on_wasm_stack(run_command, NULL);
}
