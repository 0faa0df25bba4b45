#include "t.h"
int area_links(int argc, char **argv) {
  (void)argc, (void)argv;
  write_file("/sandbox/a.txt", "AAA");
  write_file("/sandbox/b.txt", "BBB");
  T("rename", rename("/sandbox/a.txt", "/sandbox/c.txt"));
  print_file("renamed", "/sandbox/c.txt");
  T("old gone", open("/sandbox/a.txt", O_RDONLY));
  T("rename over", rename("/sandbox/c.txt", "/sandbox/b.txt"));
  print_file("overwritten", "/sandbox/b.txt");
  T("rename into subdir", rename("/sandbox/b.txt", "/sandbox/sub/b.txt"));
  T("rename missing", rename("/sandbox/nope", "/sandbox/x"));
  T("mkdir r1", mkdir("/sandbox/r1", 0755));
  T("rename dir", rename("/sandbox/r1", "/sandbox/r2"));
  T("rename dir over file", rename("/sandbox/r2", "/sandbox/hello.txt"));
  T("link", link("/sandbox/sub/b.txt", "/sandbox/hard.txt"));
  struct stat st;
  stat("/sandbox/hard.txt", &st);
  printf("nlink %d\n", (int)st.st_nlink);
  T("link exists", link("/sandbox/sub/b.txt", "/sandbox/hard.txt"));
  T("symlink", symlink("sub/b.txt", "/sandbox/sym"));
  print_file("through symlink", "/sandbox/sym");
  char buf[64];
  ssize_t n = readlink("/sandbox/sym", buf, sizeof buf);
  printf("readlink %d [%.*s]\n", (int)n, (int)(n < 0 ? 0 : n), buf);
  T("readlink not link", readlink("/sandbox/hello.txt", buf, sizeof buf));
  T("lstat", lstat("/sandbox/sym", &st));
  printf("is link %d\n", S_ISLNK(st.st_mode));
  T("stat via link", stat("/sandbox/sym", &st));
  printf("target reg %d size %d\n", S_ISREG(st.st_mode), (int)st.st_size);
  T("symlink dangling", symlink("nowhere", "/sandbox/dangle"));
  T("open dangling", open("/sandbox/dangle", O_RDONLY));
  T("symlink to dir", symlink("sub", "/sandbox/subl"));
  print_file("through dir link", "/sandbox/subl/inner.txt");
  T("unlink symlink", unlink("/sandbox/sym"));
  print_file("target kept", "/sandbox/sub/b.txt");
  T("symlink exists", symlink("x", "/sandbox/hello.txt"));
  return 0;
}
