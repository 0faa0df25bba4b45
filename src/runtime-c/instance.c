/*
 * Instantiation (Wasm 2.0 order): resolve and type-check imports, allocate functions,
 * tables, memories and globals, then run the active element segments, the active data
 * segments (each checked in full before it writes; a failing segment traps after the
 * earlier ones took effect, as the spec says), and finally the start function.
 *
 * Several instances can live in one process: each has its own vmctx; imports resolve to
 * instances registered by name (spec `register`) and to the host modules (WASI, spectest).
 */
#include "kiln_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- signatures ---- */

typedef struct {
  uint32_t np, nr;
  uint8_t *types; /* params then results */
} sig_entry;

static sig_entry *sigs;
static uint32_t nsigs, capsigs;

uint32_t kiln_sig_intern(uint32_t np, const uint8_t *params, uint32_t nr, const uint8_t *results) {
  for (uint32_t i = 0; i < nsigs; i++) {
    sig_entry *s = &sigs[i];
    if (s->np == np && s->nr == nr && memcmp(s->types, params, np) == 0 && memcmp(s->types + np, results, nr) == 0)
      return i + 1;
  }
  if (nsigs == capsigs) {
    capsigs = capsigs ? capsigs * 2 : 64;
    sigs = realloc(sigs, capsigs * sizeof *sigs);
    if (!sigs) kiln_fatal("out of memory");
  }
  uint8_t *t = malloc(np + nr + 1);
  if (!t) kiln_fatal("out of memory");
  if (np) memcpy(t, params, np);
  if (nr) memcpy(t + np, results, nr);
  sigs[nsigs] = (sig_entry){np, nr, t};
  return ++nsigs;
}

static uint8_t valtype_of_char(char c) {
  switch (c) {
  case 'i': return KILN_VAL_I32;
  case 'I': return KILN_VAL_I64;
  case 'f': return KILN_VAL_F32;
  case 'F': return KILN_VAL_F64;
  case 'v': return KILN_VAL_V128;
  case 'r': return KILN_VAL_FUNC_REF;
  case 'e': return KILN_VAL_EXTERN_REF;
  default: kiln_fatal("bad signature character '%c'", c);
  }
}

uint32_t kiln_sig_intern_str(const char *sig) {
  uint8_t p[32], r[32];
  uint32_t np = 0, nr = 0;
  const char *s = sig;
  for (; *s && *s != '>'; s++) p[np++] = valtype_of_char(*s);
  if (*s == '>')
    for (s++; *s; s++) r[nr++] = valtype_of_char(*s);
  return kiln_sig_intern(np, p, nr, r);
}

/* ---- registered instances ---- */

typedef struct {
  char *name;
  size_t len;
  kiln_instance_t *inst;
} registration;
static registration *regs;
static size_t nregs;

void kiln_register_instance(const char *name, size_t len, kiln_instance_t *inst) {
  regs = realloc(regs, (nregs + 1) * sizeof *regs);
  char *copy = malloc(len + 1);
  if (!regs || !copy) kiln_fatal("out of memory");
  memcpy(copy, name, len);
  copy[len] = 0;
  regs[nregs++] = (registration){copy, len, inst};
}

static bool name_eq(const char *a, size_t alen, const char *b) { return alen == strlen(b) && memcmp(a, b, alen) == 0; }

const kiln_export_t *kiln_find_export(const kiln_module_t *m, const char *name, size_t len) {
  for (uint32_t i = 0; i < m->nexports; i++) {
    const kiln_export_t *e = &m->exports[i];
    if (e->name_len == len && memcmp(e->name, name, len) == 0) return e;
  }
  return NULL;
}

bool kiln_instance_export(kiln_instance_t *inst, const char *name, size_t len, kiln_extern_t *out) {
  const kiln_export_t *e = kiln_find_export(inst->module, name, len);
  if (!e) return false;
  memset(out, 0, sizeof *out);
  out->kind = e->kind;
  switch (e->kind) {
  case KILN_EXTERN_FUNC:
    out->func = inst->funcs[e->index];
    break;
  case KILN_EXTERN_TABLE:
    out->table = inst->tables[e->index];
    break;
  case KILN_EXTERN_MEMORY:
    out->memory = inst->memories[e->index];
    break;
  case KILN_EXTERN_GLOBAL:
    out->global = inst->globals[e->index];
    out->valtype = inst->module->globals[e->index].valtype;
    out->mutable_ = inst->module->globals[e->index].mutable_;
    break;
  }
  return true;
}

static bool resolve(const kiln_import_t *imp, kiln_instance_t *importer, kiln_extern_t *out) {
  for (size_t i = nregs; i-- > 0;)
    if (regs[i].len == imp->module_len && memcmp(regs[i].name, imp->module, imp->module_len) == 0)
      return kiln_instance_export(regs[i].inst, imp->name, imp->name_len, out);
  if (name_eq(imp->module, imp->module_len, "wasi_snapshot_preview1"))
    return kiln_wasi_lookup(imp->name, imp->name_len, importer, out);
  if (name_eq(imp->module, imp->module_len, "spectest"))
    return kiln_spectest_lookup(imp->name, imp->name_len, importer, out);
  return false;
}

/* ---- instantiation ---- */

static void *xcalloc(size_t n, size_t size) {
  void *p = calloc(n ? n : 1, size);
  if (!p) kiln_fatal("out of memory");
  return p;
}

static uint64_t offset_value(kiln_instance_t *inst, uint8_t kind, uint64_t value, bool is64) {
  if (kind == KILN_OFFSET_GLOBAL_GET) {
    uint64_t v = inst->globals[value]->lo;
    return is64 ? v : (uint32_t)v;
  }
  return value;
}

static bool link_error(char *err, size_t errlen, const char *what, const kiln_import_t *imp) {
  snprintf(err, errlen, "%s %.*s.%.*s", what, (int)imp->module_len, imp->module, (int)imp->name_len, imp->name);
  return false;
}

static bool limits_match(uint64_t have_min, bool have_has_max, uint64_t have_max, uint64_t want_min, bool want_has_max,
                         uint64_t want_max) {
  if (have_min < want_min) return false;
  if (want_has_max && (!have_has_max || have_max > want_max)) return false;
  return true;
}

kiln_instance_t *kiln_instantiate(const kiln_module_t *m, char *err, size_t errlen) {
  if (!m) {
    snprintf(err, errlen, "no module linked into this executable");
    return NULL;
  }
  if (m->abi_version != KILN_ABI_VERSION) {
    snprintf(err, errlen, "module built for runtime ABI %u, this runtime is ABI %u", m->abi_version, KILN_ABI_VERSION);
    return NULL;
  }
  kiln_register_code(m);
  bool explicit_bounds = (m->flags & KILN_MODULE_EXPLICIT_BOUNDS) != 0;
  kiln_instance_t *inst = xcalloc(1, sizeof *inst);
  inst->module = m;
  inst->sig_ids = xcalloc(m->ntypes, sizeof(uint32_t));
  for (uint32_t i = 0; i < m->ntypes; i++) {
    const kiln_functype_t *t = &m->types[i];
    inst->sig_ids[i] = kiln_sig_intern(t->nparams, t->params, t->nresults, t->results);
  }
  inst->funcs = xcalloc(m->nfuncs, sizeof(kiln_funcref_t));
  inst->memories = xcalloc(m->nmemories, sizeof(kiln_memory_t *));
  inst->tables = xcalloc(m->ntables, sizeof(kiln_table_t *));
  inst->globals = xcalloc(m->nglobals, sizeof(kiln_global_cell_t *));
  inst->data_dropped = xcalloc(m->ndata, 1);
  inst->elem_dropped = xcalloc(m->nelems, 1);

  kiln_vmctx_t *vm = &inst->vmctx;
  vm->stack_limit = kiln_current_stack_limit();
  vm->memories = inst->memories;
  vm->globals = inst->globals;
  vm->tables = inst->tables;
  vm->funcs = inst->funcs;
  vm->sig_ids = inst->sig_ids;
  vm->instance = inst;
  vm->module = m;

  /* Imports, in order. Function imports are numbered first in the function space. */
  uint32_t nfunc = 0;
  for (uint32_t i = 0; i < m->nimports; i++) {
    const kiln_import_t *imp = &m->imports[i];
    kiln_extern_t ext;
    if (!resolve(imp, inst, &ext)) return link_error(err, errlen, "unknown import", imp), NULL;
    if (ext.kind != imp->kind) return link_error(err, errlen, "incompatible import type", imp), NULL;
    switch (imp->kind) {
    case KILN_EXTERN_FUNC:
      if (ext.func.sig_id != inst->sig_ids[imp->index])
        return link_error(err, errlen, "incompatible import type", imp), NULL;
      inst->funcs[nfunc] = ext.func;
      inst->funcs[nfunc].func_index = nfunc;
      nfunc++;
      break;
    case KILN_EXTERN_MEMORY: {
      const kiln_memory_desc_t *d = &m->memories[imp->index];
      kiln_memory_t *mem = ext.memory;
      if (!limits_match(mem->pages, mem->flags & KILN_LIMIT_HAS_MAX, mem->max_pages, d->min_pages,
                        d->flags & KILN_LIMIT_HAS_MAX, d->max_pages) ||
          (mem->flags & KILN_LIMIT_IS64) != (d->flags & KILN_LIMIT_IS64))
        return link_error(err, errlen, "incompatible import type", imp), NULL;
      inst->memories[imp->index] = mem;
      break;
    }
    case KILN_EXTERN_TABLE: {
      const kiln_table_desc_t *d = &m->tables[imp->index];
      kiln_table_t *t = ext.table;
      bool has_max = t->max != UINT32_MAX;
      if (!limits_match(t->size, has_max, t->max, d->min, d->flags & KILN_LIMIT_HAS_MAX, d->max) ||
          t->elem_type != d->elem_type)
        return link_error(err, errlen, "incompatible import type", imp), NULL;
      inst->tables[imp->index] = t;
      break;
    }
    case KILN_EXTERN_GLOBAL: {
      const kiln_global_desc_t *d = &m->globals[imp->index];
      if (ext.valtype != d->valtype || ext.mutable_ != d->mutable_)
        return link_error(err, errlen, "incompatible import type", imp), NULL;
      inst->globals[imp->index] = ext.global;
      break;
    }
    }
  }
  if (nfunc != m->nimported_funcs) {
    snprintf(err, errlen, "module metadata: %u function imports, nimported_funcs = %u", nfunc, m->nimported_funcs);
    return NULL;
  }
  for (uint32_t f = m->nimported_funcs; f < m->nfuncs; f++)
    inst->funcs[f] = (kiln_funcref_t){m->func_code[f - m->nimported_funcs], vm, inst->sig_ids[m->func_types[f]], f};

  for (uint32_t i = 0; i < m->ntables; i++) {
    const kiln_table_desc_t *d = &m->tables[i];
    if (d->flags & KILN_LIMIT_IMPORTED) continue;
    uint64_t max = (d->flags & KILN_LIMIT_HAS_MAX) ? d->max : UINT32_MAX;
    inst->tables[i] = kiln_table_new(d->min, max, d->elem_type, NULL);
  }
  for (uint32_t i = 0; i < m->nmemories; i++) {
    const kiln_memory_desc_t *d = &m->memories[i];
    if (d->flags & KILN_LIMIT_IMPORTED) continue;
    inst->memories[i] = kiln_memory_new(d->min_pages, d->max_pages, d->flags, explicit_bounds, err, errlen);
    if (!inst->memories[i]) return NULL;
  }
  if (m->nmemories > 0) kiln_memory_add_mirror(inst->memories[0], vm);

  for (uint32_t i = 0; i < m->nglobals; i++) {
    const kiln_global_desc_t *d = &m->globals[i];
    if (d->init_kind == KILN_GLOBAL_INIT_IMPORT) continue;
    kiln_global_cell_t *c = xcalloc(1, sizeof *c);
    switch (d->init_kind) {
    case KILN_GLOBAL_INIT_CONST:
      c->lo = d->init_lo;
      c->hi = d->init_hi;
      break;
    case KILN_GLOBAL_INIT_GLOBAL_GET:
      *c = *inst->globals[d->init_index];
      break;
    case KILN_GLOBAL_INIT_REF_FUNC:
      c->lo = (uint64_t)(uintptr_t)&inst->funcs[d->init_index];
      break;
    default: /* ref.null */
      break;
    }
    inst->globals[i] = c;
  }

  /* Element segments, then data segments; a failing segment traps (earlier ones stay). */
  for (uint32_t i = 0; i < m->nelems; i++) {
    const kiln_elem_seg_t *e = &m->elems[i];
    if (e->mode == KILN_SEG_ACTIVE) {
      kiln_table_t *t = inst->tables[e->table];
      uint64_t off = offset_value(inst, e->offset_kind, e->offset, false);
      (void)t;
      kiln_table_init(vm, e->table, i, off, 0, e->count);
    }
    if (e->mode != KILN_SEG_PASSIVE) kiln_elem_drop(vm, i);
  }
  for (uint32_t i = 0; i < m->ndata; i++) {
    const kiln_data_seg_t *d = &m->data[i];
    if (d->mode != KILN_SEG_ACTIVE) continue;
    bool is64 = (inst->memories[d->memory]->flags & KILN_LIMIT_IS64) != 0;
    uint64_t off = offset_value(inst, d->offset_kind, d->offset, is64);
    kiln_memory_t *mem = inst->memories[d->memory];
    if (off > mem->bound || d->len > mem->bound - off) kiln_trap(vm, KILN_TRAP_OOB_MEMORY);
    if (d->len) memcpy(mem->base + off, d->bytes, d->len);
    kiln_data_drop(vm, i);
  }
  if (m->start_func >= 0) {
    kiln_funcref_t *f = &inst->funcs[m->start_func];
    ((void (*)(kiln_vmctx_t *))f->code)(f->vmctx);
  }
  return inst;
}
