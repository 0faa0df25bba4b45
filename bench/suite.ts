/**
 * The benchmark list: one entry per program in bench/programs. Every program takes its
 * size from argv[1], does work proportional to it (rounds, passes, steps or frames of a
 * fixed-size kernel) and prints one line ending in a checksum, so the same size must give
 * the same line on every engine. `size` runs for about 0.5–3 s natively on a quiet x86-64
 * core; `interpSize` is size / INTERP_DIVISOR for kiln's interpreter; `quickSize` is for
 * `--quick` (the test).
 */

export type Category = 'integer' | 'float' | 'memory' | 'control' | 'string';

export interface Benchmark {
  name: string;
  category: Category;
  what: string;
  size: number;
  quickSize: number;
}

/** The interpreter runs size / INTERP_DIVISOR and its time is scaled back up (see runner.ts). */
export const INTERP_DIVISOR = 50;
/** Emulated AArch64 runs (qemu) use size / EMULATED_DIVISOR for both builds. */
export const EMULATED_DIVISOR = 10;

export const BENCHMARKS: readonly Benchmark[] = [
  { name: 'hash', category: 'integer', what: '64-bit multiply/rotate and FNV hashing of a 64 KiB buffer', size: 12000, quickSize: 20 },
  { name: 'crc32', category: 'integer', what: 'CRC-32, bytewise table and slicing-by-4', size: 3000, quickSize: 5 },
  { name: 'sieve', category: 'integer', what: 'sieve of Eratosthenes up to ~1.1 million', size: 250, quickSize: 1 },
  { name: 'permute', category: 'integer', what: "all 9! permutations by Heap's algorithm, with prefix flips", size: 18, quickSize: 1 },
  { name: 'nbody', category: 'float', what: '16-body softened gravity, leapfrog steps', size: 400000, quickSize: 500 },
  { name: 'spectral', category: 'float', what: 'spectral norm of a 500x500 matrix by power iteration', size: 600, quickSize: 1 },
  { name: 'mandel', category: 'float', what: 'Mandelbrot frames 240x240, 200 iterations max', size: 45, quickSize: 1 },
  { name: 'matmul', category: 'float', what: 'dense 120x120 double matrix multiply, fed back', size: 900, quickSize: 2 },
  { name: 'fft', category: 'float', what: 'radix-2 complex FFT of 4096 points, forward+inverse', size: 2000, quickSize: 3 },
  { name: 'bintree', category: 'memory', what: 'malloc/free of depth-14 binary trees', size: 400, quickSize: 1 },
  { name: 'memops', category: 'memory', what: 'memcpy/memmove/memset/memcmp of 1 B-16 KiB blocks', size: 1200, quickSize: 2 },
  { name: 'hashtable', category: 'memory', what: 'open-addressing hash table: insert, find, delete, rehash', size: 200, quickSize: 1 },
  { name: 'recurse', category: 'control', what: 'fib, tak, ackermann(2,n), mutual recursion', size: 600, quickSize: 1 },
  { name: 'vm', category: 'control', what: 'bytecode interpreter, 24-case switch, guest recursion', size: 700, quickSize: 1 },
  { name: 'tokenize', category: 'string', what: 'tokenizer + recursive-descent parser/evaluator', size: 1500, quickSize: 2 },
  { name: 'lz', category: 'string', what: 'LZ77 hash-chain compressor + decompressor round trip', size: 300, quickSize: 1 },
];

/** The program whose process start-up time is measured (not a benchmark). */
export const STARTUP_PROGRAM = 'hello';

/** Benchmarks named by the comma-separated `filter` words (exact name, else substring; case-insensitive). */
export function selectBenchmarks(filter: string | undefined): Benchmark[] {
  if (!filter) return [...BENCHMARKS];
  const words = filter
    .split(',')
    .map((w) => w.trim().toLowerCase())
    .filter((w) => w !== '');
  // A word naming a benchmark exactly selects just it ('hash' is not also 'hashtable').
  const exact = new Set(BENCHMARKS.map((b) => b.name.toLowerCase()));
  return BENCHMARKS.filter((b) => words.some((w) => (exact.has(w) ? b.name.toLowerCase() === w : b.name.toLowerCase().includes(w))));
}

export function interpSize(b: Benchmark): number {
  return Math.max(1, Math.round(b.size / INTERP_DIVISOR));
}
