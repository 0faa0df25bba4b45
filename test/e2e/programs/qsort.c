/* qsort and bsearch with comparators through function pointers (call_indirect). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct { char name[12]; int age; double score; } Person;
typedef int (*cmp_fn)(const void *, const void *);

static int cmp_int_asc(const void *a, const void *b) { int x = *(const int *)a, y = *(const int *)b; return (x > y) - (x < y); }
static int cmp_int_desc(const void *a, const void *b) { return cmp_int_asc(b, a); }
static int cmp_abs_mod(const void *a, const void *b) {
  int x = abs(*(const int *)a) % 100, y = abs(*(const int *)b) % 100;
  if (x != y) return x - y;
  return cmp_int_asc(a, b);
}
static int cmp_str(const void *a, const void *b) { return strcmp(*(const char *const *)a, *(const char *const *)b); }
static int cmp_person(const void *a, const void *b) {
  const Person *p = a, *q = b;
  if (p->score != q->score) return p->score < q->score ? 1 : -1;
  if (p->age != q->age) return p->age - q->age;
  return strcmp(p->name, q->name);
}

static unsigned seed = 2024;
static int rnd(void) { seed = seed * 1664525u + 1013904223u; return (int)(seed >> 9) - (1 << 22); }

static int apply(int (*op)(int, int), int a, int b) { return op(a, b); }
static int add(int a, int b) { return a + b; }
static int sub(int a, int b) { return a - b; }
static int mul(int a, int b) { return a * b; }
static int maxi(int a, int b) { return a > b ? a : b; }

int main(void) {
  enum { N = 5000 };
  static int v[N];
  for (int i = 0; i < N; i++) v[i] = rnd();
  cmp_fn cmps[] = {cmp_int_asc, cmp_int_desc, cmp_abs_mod};
  const char *names[] = {"asc", "desc", "absmod"};
  unsigned long check = 0;
  for (int c = 0; c < 3; c++) {
    qsort(v, N, sizeof v[0], cmps[c]);
    int ok = 1;
    for (int i = 1; i < N; i++) if (cmps[c](&v[i - 1], &v[i]) > 0) ok = 0;
    unsigned long h = 0;
    for (int i = 0; i < N; i += 97) h = h * 31 + (unsigned)v[i];
    printf("%-6s sorted=%d first=%d last=%d h=%lu\n", names[c], ok, v[0], v[N - 1], h);
    check += h;
  }
  qsort(v, N, sizeof v[0], cmp_int_asc);
  int found = 0;
  for (int i = 0; i < N; i += 50) {
    int key = v[i];
    int *p = bsearch(&key, v, N, sizeof v[0], cmp_int_asc);
    found += p != NULL && *p == key;
  }
  int missing = v[0] - 1;
  printf("bsearch found=%d missing=%s\n", found, bsearch(&missing, v, N, sizeof v[0], cmp_int_asc) ? "yes" : "no");

  const char *words[] = {"pear", "apple", "fig", "banana", "kiwi", "apricot", "cherry", "date", "elderberry", "grape", "Zucchini", "apple"};
  int nw = sizeof words / sizeof words[0];
  qsort(words, nw, sizeof words[0], cmp_str);
  for (int i = 0; i < nw; i++) printf("%s%s", words[i], i + 1 < nw ? " " : "\n");

  Person people[] = {
    {"ada", 36, 9.5}, {"bob", 25, 7.25}, {"cy", 41, 9.5}, {"dee", 25, 8.0},
    {"eve", 30, 7.25}, {"fay", 36, 9.5}, {"gus", 19, 6.0}, {"hal", 25, 8.0},
  };
  int np = sizeof people / sizeof people[0];
  qsort(people, np, sizeof people[0], cmp_person);
  for (int i = 0; i < np; i++) printf("%d. %-4s %2d %.2f\n", i + 1, people[i].name, people[i].age, people[i].score);

  int (*ops[])(int, int) = {add, sub, mul, maxi};
  int acc = 1;
  for (int i = 0; i < 40; i++) acc = apply(ops[(i * 7 + acc) & 3], acc, i + 1) % 100003;
  printf("ops acc=%d check=%lu\n", acc, check);
  return (int)((check ^ acc) & 0xff);
}
