/* malloc-heavy: linked lists, a binary search tree, realloc growth, free everything. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>

typedef struct Node { int value; struct Node *next; } Node;
typedef struct Tree { int key; int count; struct Tree *left, *right; } Tree;

static uint32_t rng = 12345;
static uint32_t next_rand(void) { rng = rng * 1103515245u + 12345u; return (rng >> 8) & 0xffffff; }

static Node *push(Node *head, int v) {
  Node *n = malloc(sizeof *n);
  if (!n) { puts("oom"); exit(2); }
  n->value = v; n->next = head;
  return n;
}

static Node *reverse(Node *h) {
  Node *prev = NULL;
  while (h) { Node *nx = h->next; h->next = prev; prev = h; h = nx; }
  return prev;
}

static Tree *insert(Tree *t, int key) {
  if (!t) {
    t = calloc(1, sizeof *t);
    t->key = key; t->count = 1;
    return t;
  }
  if (key < t->key) t->left = insert(t->left, key);
  else if (key > t->key) t->right = insert(t->right, key);
  else t->count++;
  return t;
}

static int height(const Tree *t) {
  if (!t) return 0;
  int l = height(t->left), r = height(t->right);
  return 1 + (l > r ? l : r);
}

static long inorder_sum(const Tree *t, long *pos) {
  if (!t) return 0;
  long s = inorder_sum(t->left, pos);
  s += (long)t->key * ((*pos)++ % 7 + 1) * t->count;
  return s + inorder_sum(t->right, pos);
}

static int free_tree(Tree *t) {
  if (!t) return 0;
  int n = free_tree(t->left) + free_tree(t->right) + 1;
  free(t);
  return n;
}

int main(void) {
  Node *list = NULL;
  for (int i = 0; i < 20000; i++) list = push(list, (int)(next_rand() % 1000));
  list = reverse(list);
  long s = 0; int len = 0;
  for (Node *p = list; p; p = p->next) { s += p->value * (len % 3 + 1); len++; }
  printf("list: len=%d weighted sum=%ld first=%d\n", len, s, list->value);
  /* delete every node with an even value */
  Node **pp = &list; int removed = 0;
  while (*pp) {
    if ((*pp)->value % 2 == 0) { Node *d = *pp; *pp = d->next; free(d); removed++; }
    else pp = &(*pp)->next;
  }
  printf("removed %d even nodes\n", removed);

  Tree *root = NULL;
  for (Node *p = list; p; p = p->next) root = insert(root, p->value);
  long pos = 0;
  printf("tree: height=%d inorder=%ld\n", height(root), inorder_sum(root, &pos));
  printf("freed %d tree nodes\n", free_tree(root));
  while (list) { Node *d = list; list = list->next; free(d); }

  /* realloc growth: a dynamic array doubling its capacity, a growing string */
  size_t cap = 1, n = 0; int64_t *arr = malloc(cap * sizeof *arr);
  int moves = 0;
  for (int i = 0; i < 100000; i++) {
    if (n == cap) {
      int64_t *old = arr;
      cap *= 2;
      arr = realloc(arr, cap * sizeof *arr);
      if (!arr) { puts("realloc failed"); return 3; }
      moves += arr != old;
    }
    arr[n++] = (int64_t)i * i - 5 * i;
  }
  int64_t total = 0;
  for (size_t i = 0; i < n; i++) total += arr[i] % 1009;
  printf("array: n=%zu cap=%zu total=%lld grew=%s\n", n, cap, (long long)total, moves > 0 ? "yes" : "no");
  free(arr);

  char *str = NULL; size_t slen = 0;
  for (int i = 0; i < 500; i++) {
    char piece[32];
    int k = snprintf(piece, sizeof piece, "%d,", i * 37 % 101);
    str = realloc(str, slen + k + 1);
    memcpy(str + slen, piece, k + 1);
    slen += k;
  }
  unsigned h = 5381;
  for (size_t i = 0; i < slen; i++) h = h * 33 ^ (unsigned char)str[i];
  printf("string: len=%zu hash=%08x tail=%s\n", slen, h, str + slen - 12);
  free(str);

  /* many small blocks of mixed sizes, freed in a scrambled order */
  void *blocks[512];
  for (int i = 0; i < 512; i++) { blocks[i] = malloc(16 + (next_rand() % 4000)); memset(blocks[i], i, 16); }
  int bsum = 0;
  for (int i = 0; i < 512; i++) { int j = (i * 197) % 512; bsum += ((unsigned char *)blocks[j])[15]; free(blocks[j]); }
  printf("blocks: sum=%d\n", bsum);
  return (int)((s + total + h) & 0x7f);
}
