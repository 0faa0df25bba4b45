/* Mandelbrot set: 240x240 frames at a slowly zooming view, escape-time iteration with a
 * 200-step cap; one frame per unit of size. Checksum: total iterations and a pixel hash. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define W 240
#define H 240
#define MAXIT 200

int main(int argc, char **argv) {
  int frames = argc > 1 ? atoi(argv[1]) : 45;
  uint64_t total = 0;
  uint32_t h = 2166136261u;
  for (int f = 0; f < frames; f++) {
    double scale = 3.0 / W * (1.0 - 0.004 * (f % 200));
    double cx0 = -0.745 - W / 2 * scale, cy0 = 0.11 - H / 2 * scale;
    for (int py = 0; py < H; py++) {
      double ci = cy0 + py * scale;
      for (int px = 0; px < W; px++) {
        double cr = cx0 + px * scale;
        double zr = 0, zi = 0, zr2 = 0, zi2 = 0;
        int it = 0;
        while (it < MAXIT && zr2 + zi2 <= 4.0) {
          zi = 2.0 * zr * zi + ci;
          zr = zr2 - zi2 + cr;
          zr2 = zr * zr;
          zi2 = zi * zi;
          it++;
        }
        total += (uint64_t)it;
        h = (h ^ (uint32_t)it) * 16777619u;
      }
    }
  }
  printf("mandel frames=%d iterations=%llu checksum=%08x\n", frames, (unsigned long long)total, h);
  return 0;
}
