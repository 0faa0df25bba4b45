#include "t.h"
#include <dirent.h>
int area_dirs(int argc, char **argv) {
  (void)argc, (void)argv;
  T("mkdir", mkdir("/sandbox/d1", 0755));
  T("mkdir again", mkdir("/sandbox/d1", 0755));
  T("mkdir nested missing parent", mkdir("/sandbox/nope/d2", 0755));
  T("mkdir nested", mkdir("/sandbox/d1/d2", 0755));
  T("file in nested", write_file("/sandbox/d1/d2/f.txt", "x"));
  T("rmdir nonempty", rmdir("/sandbox/d1"));
  T("rmdir file", rmdir("/sandbox/d1/d2/f.txt"));
  struct stat st;
  T("stat dir", stat("/sandbox/d1/d2", &st));
  printf("is dir %d\n", S_ISDIR(st.st_mode));
  T("opendir file", opendir("/sandbox/hello.txt") ? 0 : -1);
  T("open through file", open("/sandbox/hello.txt/x", O_RDONLY));
  T("dot-dot inside", stat("/sandbox/d1/d2/../../hello.txt", &st));
  T("unlink f", unlink("/sandbox/d1/d2/f.txt"));
  T("rmdir d2", rmdir("/sandbox/d1/d2"));
  T("rmdir d1", rmdir("/sandbox/d1"));
  T("stat removed", stat("/sandbox/d1", &st));
  T("chdir-free relative open", open("sub/inner.txt", O_RDONLY) >= 0 ? 0 : -1);
  return 0;
}
