/*
 * Linear memories. Every memory is a fixed reservation of PROT_NONE address space whose
 * first `pages` pages are committed read/write, so the base never moves:
 *   - 32-bit memories reserve KILN_GUARD_RESERVATION + KILN_GUARD_TAIL (8 GiB + tail):
 *     base + zext(u32 index) + u32 offset (+ access size) always lands in the reservation,
 *     so guard-mode code needs no bounds checks — the fault handler turns the SIGSEGV into
 *     "out of bounds memory access";
 *   - explicit-bounds code compares against `bound`, so if the 8 GiB reservation is not
 *     available it falls back to reserving just the maximum size.
 * memory.grow commits pages with mprotect and updates `bound` in the memory object and in
 * every vmctx caching it as memory 0 (mirrors).
 */
#include "kiln_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define PAGE KILN_PAGE_SIZE

kiln_memory_t *kiln_memory_new(uint64_t min_pages, uint64_t max_pages, uint32_t flags, bool explicit_bounds,
                             char *err, size_t errlen) {
  bool is64 = (flags & KILN_LIMIT_IS64) != 0;
  uint64_t limit = is64 ? (1ull << 48) / PAGE : 65536; /* index-type limit in pages */
  uint64_t max = (flags & KILN_LIMIT_HAS_MAX) && max_pages < limit ? max_pages : limit;
  if (min_pages > max) {
    snprintf(err, errlen, "memory minimum exceeds its maximum");
    return NULL;
  }
  uint64_t reserve = 0;
  void *base = MAP_FAILED;
  if (!is64) {
    reserve = KILN_GUARD_RESERVATION + KILN_GUARD_TAIL;
    base = mmap(NULL, reserve, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  }
  if (base == MAP_FAILED && (explicit_bounds || is64)) {
    /* explicit bounds: the maximum is enough (memory64: capped at 16 GiB for now) */
    uint64_t cap = 1ull << 34;
    reserve = (max * PAGE < cap ? max * PAGE : cap) + PAGE;
    base = mmap(NULL, reserve, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (max * PAGE > reserve - PAGE) max = (reserve - PAGE) / PAGE;
  }
  if (base == MAP_FAILED) {
    snprintf(err, errlen, "cannot reserve address space for a linear memory: %s", strerror(errno));
    return NULL;
  }
  if (min_pages > 0 && mprotect(base, min_pages * PAGE, PROT_READ | PROT_WRITE) != 0) {
    munmap(base, reserve);
    snprintf(err, errlen, "out of memory allocating %llu pages", (unsigned long long)min_pages);
    return NULL;
  }
  kiln_memory_t *mem = calloc(1, sizeof *mem);
  if (!mem) kiln_fatal("out of memory");
  mem->base = base;
  mem->pages = min_pages;
  mem->bound = min_pages * PAGE;
  mem->max_pages = max;
  mem->reserved = reserve;
  mem->flags = flags & ~(uint32_t)KILN_LIMIT_IMPORTED;
  kiln_register_memory(mem);
  return mem;
}

void kiln_memory_add_mirror(kiln_memory_t *mem, kiln_vmctx_t *vmctx) {
  kiln_vmctx_t **m = realloc(mem->mirrors, (mem->nmirrors + 1) * sizeof *m);
  if (!m) kiln_fatal("out of memory");
  m[mem->nmirrors++] = vmctx;
  mem->mirrors = m;
  vmctx->mem0_base = mem->base;
  vmctx->mem0_bound = mem->bound;
}

uint64_t kiln_memory_grow_obj(kiln_memory_t *mem, uint64_t delta) {
  uint64_t old = mem->pages;
  if (delta == 0) return old;
  if (delta > mem->max_pages || old > mem->max_pages - delta) return UINT64_MAX;
  uint64_t new_bytes = (old + delta) * PAGE;
  if (new_bytes > mem->reserved) return UINT64_MAX;
  if (mprotect(mem->base + old * PAGE, delta * PAGE, PROT_READ | PROT_WRITE) != 0) return UINT64_MAX;
  mem->pages = old + delta;
  mem->bound = new_bytes;
  for (uint32_t i = 0; i < mem->nmirrors; i++) mem->mirrors[i]->mem0_bound = new_bytes;
  return old;
}

static kiln_memory_t *mem_of(kiln_vmctx_t *vmctx, uint32_t idx) { return vmctx->memories[idx]; }

uint64_t kiln_memory_grow(kiln_vmctx_t *vmctx, uint32_t mem, uint64_t delta_pages) {
  return kiln_memory_grow_obj(mem_of(vmctx, mem), delta_pages);
}

uint64_t kiln_memory_size(kiln_vmctx_t *vmctx, uint32_t mem) { return mem_of(vmctx, mem)->pages; }

static bool in_bounds(kiln_memory_t *m, uint64_t at, uint64_t len) { return at <= m->bound && len <= m->bound - at; }

void kiln_memory_fill(kiln_vmctx_t *vmctx, uint32_t mem, uint64_t dst, uint32_t value, uint64_t len) {
  kiln_memory_t *m = mem_of(vmctx, mem);
  if (!in_bounds(m, dst, len)) kiln_trap(vmctx, KILN_TRAP_OOB_MEMORY);
  memset(m->base + dst, (int)(value & 0xff), len);
}

void kiln_memory_copy(kiln_vmctx_t *vmctx, uint32_t dst_mem, uint32_t src_mem, uint64_t dst, uint64_t src, uint64_t len) {
  kiln_memory_t *d = mem_of(vmctx, dst_mem), *s = mem_of(vmctx, src_mem);
  if (!in_bounds(d, dst, len) || !in_bounds(s, src, len)) kiln_trap(vmctx, KILN_TRAP_OOB_MEMORY);
  memmove(d->base + dst, s->base + src, len);
}

void kiln_memory_init(kiln_vmctx_t *vmctx, uint32_t mem, uint32_t seg, uint64_t dst, uint32_t src, uint32_t len) {
  kiln_instance_t *inst = vmctx->instance;
  const kiln_data_seg_t *d = &inst->module->data[seg];
  uint64_t seg_len = inst->data_dropped[seg] ? 0 : d->len;
  kiln_memory_t *m = mem_of(vmctx, mem);
  if ((uint64_t)src + len > seg_len || !in_bounds(m, dst, len)) kiln_trap(vmctx, KILN_TRAP_OOB_MEMORY);
  if (len) memcpy(m->base + dst, d->bytes + src, len);
}

void kiln_data_drop(kiln_vmctx_t *vmctx, uint32_t seg) { vmctx->instance->data_dropped[seg] = 1; }
