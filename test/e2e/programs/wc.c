/* Reads stdin to the end: counts lines, words and bytes, plus the longest line and a checksum. */
#include <stdio.h>
#include <ctype.h>

int main(void) {
  long lines = 0, words = 0, bytes = 0, longest = 0, cur = 0, digits = 0;
  unsigned sum = 0;
  int in_word = 0, c, freq[26] = {0};
  while ((c = getchar()) != EOF) {
    bytes++;
    sum = (sum << 5) + sum + (unsigned)c;
    if (c == '\n') { lines++; if (cur > longest) longest = cur; cur = 0; }
    else cur++;
    if (isspace(c)) in_word = 0;
    else if (!in_word) { in_word = 1; words++; }
    if (isdigit(c)) digits++;
    if (isalpha(c)) freq[tolower(c) - 'a']++;
  }
  if (cur > longest) longest = cur;
  printf("%7ld %7ld %7ld\n", lines, words, bytes);
  printf("longest=%ld digits=%ld checksum=%08x eof=%d error=%d\n", longest, digits, sum, feof(stdin) != 0, ferror(stdin) != 0);
  int best = 0;
  for (int i = 1; i < 26; i++) if (freq[i] > freq[best]) best = i;
  printf("most common letter: %c (%d)\n", 'a' + best, freq[best]);
  return (int)(lines % 256);
}
