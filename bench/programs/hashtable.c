/* Open-addressing hash table (linear probing, tombstones, growth by rehash) keyed by 64-bit
 * integers: per round, 20000 inserts/updates, 20000 lookups (half misses), 10000 deletes. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct { uint64_t key; uint64_t val; uint8_t state; } Slot; /* 0 empty, 1 full, 2 tombstone */

static Slot *slots;
static uint32_t cap, used, live;

static uint32_t hash64(uint64_t k) {
  k ^= k >> 33; k *= 0xff51afd7ed558ccdULL; k ^= k >> 33;
  return (uint32_t)k;
}

static void insert(uint64_t key, uint64_t val);

static void grow(void) {
  Slot *old = slots;
  uint32_t oldcap = cap;
  cap = live * 4 > cap ? cap * 2 : cap; /* rehash in place size if mostly tombstones */
  slots = calloc(cap, sizeof(Slot));
  if (!slots) { puts("out of memory"); exit(1); }
  used = live = 0;
  for (uint32_t i = 0; i < oldcap; i++)
    if (old[i].state == 1) insert(old[i].key, old[i].val);
  free(old);
}

static void insert(uint64_t key, uint64_t val) {
  if ((used + 1) * 4 > cap * 3) grow();
  uint32_t i = hash64(key) & (cap - 1), tomb = UINT32_MAX;
  for (;;) {
    Slot *s = &slots[i];
    if (s->state == 0) {
      if (tomb != UINT32_MAX) s = &slots[tomb];
      else used++;
      s->key = key; s->val = val; s->state = 1; live++;
      return;
    }
    if (s->state == 2) { if (tomb == UINT32_MAX) tomb = i; }
    else if (s->key == key) { s->val += val; return; }
    i = (i + 1) & (cap - 1);
  }
}

static Slot *find(uint64_t key) {
  uint32_t i = hash64(key) & (cap - 1);
  for (;;) {
    Slot *s = &slots[i];
    if (s->state == 0) return NULL;
    if (s->state == 1 && s->key == key) return s;
    i = (i + 1) & (cap - 1);
  }
}

int main(int argc, char **argv) {
  int rounds = argc > 1 ? atoi(argv[1]) : 200;
  cap = 1024;
  slots = calloc(cap, sizeof(Slot));
  uint64_t x = 1, acc = 0;
  for (int r = 0; r < rounds; r++) {
    for (int i = 0; i < 20000; i++) {
      x = x * 6364136223846793005ULL + 1442695040888963407ULL;
      insert((x >> 40) % 200000, x >> 50);
    }
    for (int i = 0; i < 20000; i++) {
      x = x * 6364136223846793005ULL + 1442695040888963407ULL;
      Slot *s = find((x >> 40) % 400000);
      acc += s ? s->val + 1 : 0;
    }
    for (int i = 0; i < 10000; i++) {
      x = x * 6364136223846793005ULL + 1442695040888963407ULL;
      Slot *s = find((x >> 40) % 200000);
      if (s) { s->state = 2; live--; }
    }
  }
  printf("hashtable rounds=%d live=%u cap=%u checksum=%016llx\n", rounds, live, cap, (unsigned long long)acc);
  return 0;
}
