/*
 * Tables: a growable array of element pointers. funcref elements point at kiln_funcref_t
 * records (NULL is ref.null); externref elements are opaque host values (0 is null).
 * `elems` may move on grow, so compiled code reloads it after any call.
 */
#include "kiln_internal.h"

#include <stdlib.h>
#include <string.h>

kiln_table_t *kiln_table_new(uint64_t min, uint64_t max, uint8_t elem_type, void *init) {
  kiln_table_t *t = calloc(1, sizeof *t);
  if (!t) kiln_fatal("out of memory");
  t->capacity = min ? min : 1;
  t->elems = calloc(t->capacity, sizeof(void *));
  if (!t->elems) kiln_fatal("out of memory allocating a table of %llu elements", (unsigned long long)min);
  for (uint64_t i = 0; i < min; i++) t->elems[i] = init;
  t->size = min;
  t->max = max;
  t->elem_type = elem_type;
  return t;
}

uint64_t kiln_table_grow_obj(kiln_table_t *t, void *init, uint64_t delta) {
  uint64_t old = t->size;
  if (delta > t->max || old > t->max - delta) return UINT64_MAX;
  uint64_t n = old + delta;
  if (n > t->capacity) {
    uint64_t cap = t->capacity * 2 > n ? t->capacity * 2 : n;
    if (cap > t->max) cap = n;
    if (cap > (SIZE_MAX / sizeof(void *))) return UINT64_MAX;
    void **e = realloc(t->elems, cap * sizeof(void *));
    if (!e) return UINT64_MAX;
    t->elems = e;
    t->capacity = cap;
  }
  for (uint64_t i = old; i < n; i++) t->elems[i] = init;
  t->size = n;
  return old;
}

static kiln_table_t *tab(kiln_vmctx_t *vmctx, uint32_t idx) { return vmctx->tables[idx]; }

uint64_t kiln_table_grow(kiln_vmctx_t *vmctx, uint32_t table, void *init, uint64_t delta) {
  return kiln_table_grow_obj(tab(vmctx, table), init, delta);
}

uint64_t kiln_table_size(kiln_vmctx_t *vmctx, uint32_t table) { return tab(vmctx, table)->size; }

void *kiln_table_get(kiln_vmctx_t *vmctx, uint32_t table, uint64_t index) {
  kiln_table_t *t = tab(vmctx, table);
  if (index >= t->size) kiln_trap(vmctx, KILN_TRAP_OOB_TABLE);
  return t->elems[index];
}

void kiln_table_set(kiln_vmctx_t *vmctx, uint32_t table, uint64_t index, void *value) {
  kiln_table_t *t = tab(vmctx, table);
  if (index >= t->size) kiln_trap(vmctx, KILN_TRAP_OOB_TABLE);
  t->elems[index] = value;
}

static bool range_ok(kiln_table_t *t, uint64_t at, uint64_t len) { return at <= t->size && len <= t->size - at; }

void kiln_table_fill(kiln_vmctx_t *vmctx, uint32_t table, uint64_t dst, void *value, uint64_t len) {
  kiln_table_t *t = tab(vmctx, table);
  if (!range_ok(t, dst, len)) kiln_trap(vmctx, KILN_TRAP_OOB_TABLE);
  for (uint64_t i = 0; i < len; i++) t->elems[dst + i] = value;
}

void kiln_table_copy(kiln_vmctx_t *vmctx, uint32_t dst_table, uint32_t src_table, uint64_t dst, uint64_t src, uint64_t len) {
  kiln_table_t *d = tab(vmctx, dst_table), *s = tab(vmctx, src_table);
  if (!range_ok(d, dst, len) || !range_ok(s, src, len)) kiln_trap(vmctx, KILN_TRAP_OOB_TABLE);
  memmove(d->elems + dst, s->elems + src, len * sizeof(void *));
}

/* The value of one element expression of segment `seg` in instance `inst`. */
static void *elem_value(kiln_instance_t *inst, const kiln_elem_item_t *it) {
  switch (it->kind) {
  case KILN_ELEM_REF_FUNC:
    return &inst->funcs[it->index];
  case KILN_ELEM_GLOBAL_GET:
    return (void *)(uintptr_t)inst->globals[it->index]->lo;
  default:
    return NULL;
  }
}

void kiln_table_init(kiln_vmctx_t *vmctx, uint32_t table, uint32_t seg, uint64_t dst, uint32_t src, uint32_t len) {
  kiln_instance_t *inst = vmctx->instance;
  const kiln_elem_seg_t *e = &inst->module->elems[seg];
  uint64_t seg_len = inst->elem_dropped[seg] ? 0 : e->count;
  kiln_table_t *t = tab(vmctx, table);
  if ((uint64_t)src + len > seg_len || !range_ok(t, dst, len)) kiln_trap(vmctx, KILN_TRAP_OOB_TABLE);
  for (uint32_t i = 0; i < len; i++) t->elems[dst + i] = elem_value(inst, &e->items[src + i]);
}

void kiln_elem_drop(kiln_vmctx_t *vmctx, uint32_t seg) { vmctx->instance->elem_dropped[seg] = 1; }
