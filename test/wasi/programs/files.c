#include "t.h"
int area_files(int argc, char **argv) {
  (void)argc, (void)argv;
  print_file("read hello", "/sandbox/hello.txt");
  T("create", write_file("/sandbox/new.txt", "first line\n"));
  print_file("read new", "/sandbox/new.txt");
  int fd = open("/sandbox/new.txt", O_WRONLY | O_APPEND);
  T("open append", fd);
  T("append", write(fd, "second\n", 7));
  close(fd);
  print_file("after append", "/sandbox/new.txt");
  T("excl existing", open("/sandbox/new.txt", O_WRONLY | O_CREAT | O_EXCL, 0644));
  T("open missing", open("/sandbox/missing.txt", O_RDONLY));
  T("open dir as file for write", open("/sandbox/sub", O_WRONLY));
  fd = open("/sandbox/new.txt", O_RDWR);
  char buf[8] = {0};
  T("rdwr read", read(fd, buf, 5));
  printf("got [%s]\n", buf);
  T("rdwr write", write(fd, "XY", 2));
  close(fd);
  print_file("after rdwr", "/sandbox/new.txt");
  FILE *f = fopen("/sandbox/stdio.txt", "w");
  for (int i = 0; i < 1000; i++) fprintf(f, "%d,", i);
  fclose(f);
  f = fopen("/sandbox/stdio.txt", "r");
  long sum = 0;
  int v;
  while (fscanf(f, "%d,", &v) == 1) sum += v;
  fclose(f);
  printf("stdio sum %ld\n", sum);
  T("unlink", unlink("/sandbox/new.txt"));
  T("unlink again", unlink("/sandbox/new.txt"));
  T("unlink dir", unlink("/sandbox/sub"));
  T("read closed", read(fd, buf, 1));
  return 0;
}
