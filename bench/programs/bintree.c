/* Allocation-heavy binary trees: build a complete tree of depth 14 node by node with
 * malloc, walk it, free it; plus a long-lived tree that gets subtrees replaced. One short-
 * lived tree per unit of size. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct Node { struct Node *left, *right; uint32_t value; } Node;

static Node *build(int depth, uint32_t v) {
  Node *n = malloc(sizeof *n);
  if (!n) { puts("out of memory"); exit(1); }
  n->value = v;
  if (depth > 0) {
    n->left = build(depth - 1, v * 2 + 1);
    n->right = build(depth - 1, v * 2 + 2);
  } else {
    n->left = n->right = NULL;
  }
  return n;
}

static uint64_t walk(const Node *n) {
  if (!n) return 0;
  return (n->value ^ 0x5bd1e995u) + 3 * walk(n->left) + walk(n->right);
}

static void release(Node *n) {
  if (!n) return;
  release(n->left);
  release(n->right);
  free(n);
}

int main(int argc, char **argv) {
  int trees = argc > 1 ? atoi(argv[1]) : 400;
  Node *longlived = build(12, 1);
  uint64_t acc = 0;
  for (int t = 0; t < trees; t++) {
    Node *n = build(14, (uint32_t)t);
    acc = acc * 31 + walk(n);
    release(n);
    /* replace one small subtree of the long-lived tree: fragmentation over time */
    Node *p = longlived;
    for (int d = 0; d < 6; d++) p = ((t >> d) & 1) ? p->right : p->left;
    release(p->left);
    p->left = build(5, (uint32_t)t * 3);
  }
  acc += walk(longlived);
  release(longlived);
  printf("bintree trees=%d checksum=%016llx\n", trees, (unsigned long long)acc);
  return 0;
}
