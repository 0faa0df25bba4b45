/* String processing: a hand-written tokenizer, libc string functions, reversal, word frequencies. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>

static const char TEXT[] =
  "It was the best of times, it was the worst of times, it was the age of wisdom, "
  "it was the age of foolishness, it was the epoch of belief, it was the epoch of "
  "incredulity, it was the season of Light, it was the season of Darkness, it was "
  "the spring of hope, it was the winter of despair. We had everything before us, "
  "we had nothing before us; we were all going direct to Heaven, we were all going "
  "direct the other way.";

typedef struct { char word[24]; int count; } Entry;
static Entry table[256];
static int used;

static unsigned hash(const char *s) { unsigned h = 2166136261u; while (*s) h = (h ^ (unsigned char)*s++) * 16777619u; return h; }

static void count_word(const char *w) {
  unsigned i = hash(w) & 255;
  while (table[i].count && strcmp(table[i].word, w) != 0) i = (i + 1) & 255;
  if (!table[i].count) { strcpy(table[i].word, w); used++; }
  table[i].count++;
}

/* Splits without strtok: returns the number of tokens, copying each lower-cased into out. */
static int tokenize(const char *s, char out[][24], int max) {
  int n = 0;
  while (*s && n < max) {
    while (*s && !isalpha((unsigned char)*s)) s++;
    if (!*s) break;
    int len = 0;
    while (isalpha((unsigned char)*s) || *s == '\'') { if (len < 23) out[n][len++] = (char)tolower((unsigned char)*s); s++; }
    out[n][len] = '\0';
    n++;
  }
  return n;
}

static void reverse(char *s) {
  size_t n = strlen(s);
  for (size_t i = 0; i < n / 2; i++) { char t = s[i]; s[i] = s[n - 1 - i]; s[n - 1 - i] = t; }
}

static int cmp_entry(const void *a, const void *b) {
  const Entry *x = a, *y = b;
  if (x->count != y->count) return y->count - x->count;
  return strcmp(x->word, y->word);
}

int main(void) {
  static char toks[200][24];
  int n = tokenize(TEXT, toks, 200);
  printf("tokens=%d first=%s last=%s len(text)=%zu\n", n, toks[0], toks[n - 1], strlen(TEXT));
  for (int i = 0; i < n; i++) count_word(toks[i]);
  Entry sorted[256]; int k = 0;
  for (int i = 0; i < 256; i++) if (table[i].count) sorted[k++] = table[i];
  qsort(sorted, k, sizeof sorted[0], cmp_entry);
  printf("distinct=%d\n", used);
  for (int i = 0; i < 8; i++) printf("%-8s %d\n", sorted[i].word, sorted[i].count);

  char buf[128];
  strcpy(buf, "Hello, kiln world");
  reverse(buf);
  printf("reversed: '%s'\n", buf);
  reverse(buf);
  strcat(buf, "! again");
  printf("concat: '%s' len=%zu\n", buf, strlen(buf));
  printf("strcmp: %d %d %d %d\n", strcmp("abc", "abd") < 0, strcmp("b", "a") > 0, strcmp("same", "same"), strncmp("prefix-x", "prefix-y", 7));
  printf("strchr=%s strrchr=%s strstr=%s strspn=%zu strcspn=%zu\n", strchr(buf, 'k'), strrchr(buf, 'a'), strstr(buf, "world"), strspn("aaabbc", "ab"), strcspn("hello, world", ",!"));

  char mem[64];
  memset(mem, '.', sizeof mem);
  mem[63] = '\0';
  memcpy(mem + 4, "0123456789", 10);
  printf("memcpy:  %s\n", mem);
  memmove(mem + 7, mem + 4, 10); /* overlapping, forwards */
  printf("memmove: %s\n", mem);
  memmove(mem + 2, mem + 7, 10); /* overlapping, backwards */
  printf("memmove: %s\n", mem);
  printf("memcmp: %d %d memchr=%s\n", memcmp("abcd", "abce", 4) < 0, memcmp("xyz", "xyz", 3), (char *)memchr(mem, '9', 63));

  /* large copies (bulk memory paths), unaligned offsets */
  static unsigned char big[70000], big2[70000];
  for (int i = 0; i < 70000; i++) big[i] = (unsigned char)(i * 31 + (i >> 8));
  memcpy(big2 + 3, big + 1, 65000);
  memmove(big2 + 100, big2 + 3, 60000);
  memset(big2 + 50000, 0xab, 12345);
  unsigned sum = 0;
  for (int i = 0; i < 70000; i++) sum = sum * 3 + big2[i];
  printf("bulk checksum=%08x\n", sum);

  /* number formatting round trip */
  char num[32]; long total = 0;
  for (int i = -5; i <= 5; i++) { snprintf(num, sizeof num, "%d", i * 12345); total += strtol(num, NULL, 10); }
  printf("atoi=%d strtol=%ld strtoul(hex)=%lu total=%ld\n", atoi("  -42xyz"), strtol("0x7fff", NULL, 16), strtoul("ff", NULL, 16), total);
  int upper = 0;
  for (const char *p = TEXT; *p; p++) upper += isupper((unsigned char)*p) != 0;
  printf("upper=%d\n", upper);
  return (sorted[0].count * 3 + used) & 0xff;
}
