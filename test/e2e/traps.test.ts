/**
 * End to end traps: one tiny WASI command per trap kind (and per interesting way of reaching
 * it). Each must print exactly `wasm trap: <spec message>` on stderr and exit 134, on x86_64
 * (-O0 and -O2) and on AArch64 under qemu. Operands come from memory where folding them
 * would be easy, so the optimiser cannot see the trap; a few use constants on purpose, since
 * folding must keep the trap too.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  buildExecutable,
  buildWat,
  configMissing,
  configName,
  knownFailure,
  printKnownFailures,
  RUN_KNOWN,
  runKiln,
  setOrder,
  unwrap,
  type Config,
} from './harness.js';

/**
 * Memory layout of every module (one page): 16: i32 INT32_MIN, 20: i32 -1 (0xffffffff),
 * 24: i32 0, 28: i32 5, 32: f64 NaN, 40: f64 1e10, 48: f32 -1.0, 100: "before\n", 120: iovec.
 */
const DATA = `
  (data (i32.const 16) "\\00\\00\\00\\80" "\\ff\\ff\\ff\\ff" "\\00\\00\\00\\00" "\\05\\00\\00\\00")
  (data (i32.const 32) "\\00\\00\\00\\00\\00\\00\\f8\\7f" "\\00\\00\\00\\20\\5f\\a0\\02\\42" "\\00\\00\\80\\bf")
  (data (i32.const 100) "before\\n")
  (data (i32.const 120) "\\64\\00\\00\\00\\07\\00\\00\\00")`;

function command(body: string, extra = ''): string {
  return `(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  ${DATA}
  ${extra}
  (func $before (drop (call $fd_write (i32.const 1) (i32.const 120) (i32.const 1) (i32.const 200))))
  (func (export "_start")
    (call $before)
    ${body}))`;
}

const I32 = (addr: number): string => `(i32.load (i32.const ${addr}))`;
const ZERO = I32(24);
const MINUS1 = I32(20);

/** A table of two slots: 0 holds $sq (i32)->i32, 1 is null; types for call_indirect. */
const TABLE = `
  (type $i2i (func (param i32) (result i32)))
  (type $v2i (func (result i32)))
  (table $t 2 funcref)
  (elem (table $t) (i32.const 0) func $sq)
  (func $sq (type $i2i) (i32.mul (local.get 0) (local.get 0)))`;

interface TrapCase {
  name: string;
  message: string;
  wat: string;
  /** A memory access: also checked with `--bounds explicit`. */
  memory?: boolean;
}

const TRAPS: TrapCase[] = [
  { name: 'unreachable', message: 'unreachable', wat: command('unreachable') },
  {
    name: 'div-by-zero-i32',
    message: 'integer divide by zero',
    wat: command(`(call $exit (i32.div_u (i32.const 7) ${ZERO}))`),
  },
  {
    name: 'rem-by-zero-i64-const',
    message: 'integer divide by zero',
    wat: command('(call $exit (i32.wrap_i64 (i64.rem_s (i64.const 5) (i64.const 0))))'),
  },
  {
    name: 'overflow-i32',
    message: 'integer overflow',
    wat: command(`(call $exit (i32.div_s ${I32(16)} ${MINUS1}))`),
  },
  {
    name: 'overflow-i64-const',
    message: 'integer overflow',
    wat: command('(call $exit (i32.wrap_i64 (i64.div_s (i64.const 0x8000000000000000) (i64.const -1))))'),
  },
  {
    name: 'convert-nan',
    message: 'invalid conversion to integer',
    wat: command('(call $exit (i32.trunc_f64_s (f64.load (i32.const 32))))'),
  },
  {
    // the spec reports a NaN as an invalid conversion but an out-of-range value as an overflow
    name: 'convert-out-of-range',
    message: 'integer overflow',
    wat: command('(call $exit (i32.trunc_f64_u (f64.load (i32.const 40))))'),
  },
  {
    name: 'convert-negative-unsigned-i64',
    message: 'integer overflow',
    wat: command('(call $exit (i32.wrap_i64 (i64.trunc_f32_u (f32.load (i32.const 48)))))'),
  },
  {
    name: 'load-straddling-end',
    memory: true,
    message: 'out of bounds memory access',
    // the last byte in bounds is 65535: a 4-byte load at 65533 reaches one byte past it
    wat: command(`(call $exit (i32.load (i32.add ${I32(28)} (i32.const 65528))))`),
  },
  {
    name: 'store-just-past-end',
    memory: true,
    message: 'out of bounds memory access',
    wat: command(`(i32.store8 (i32.const 65535) (i32.const 1)) (i32.store8 (i32.add ${ZERO} (i32.const 65536)) (i32.const 1))`),
  },
  {
    name: 'load-huge-index-and-offset',
    memory: true,
    message: 'out of bounds memory access',
    wat: command(`(call $exit (i32.load offset=0xffffffff ${MINUS1}))`),
  },
  {
    name: 'store-huge-index',
    memory: true,
    message: 'out of bounds memory access',
    wat: command(`(i64.store offset=8 ${MINUS1} (i64.const 1))`),
  },
  {
    name: 'past-end-after-grow',
    memory: true,
    message: 'out of bounds memory access',
    // after growing to 2 pages, 131071 is the last valid byte and 131072 the first invalid one
    wat: command(`(drop (memory.grow (i32.const 1)))
      (i32.store8 (i32.const 131071) (i32.const 9))
      (call $exit (i32.load8_u (i32.add ${ZERO} (i32.const 131072))))`),
  },
  {
    name: 'memory-fill-out-of-bounds',
    memory: true,
    message: 'out of bounds memory access',
    wat: command(`(memory.fill (i32.const 65000) (i32.const 0) (i32.add ${ZERO} (i32.const 537)))`),
  },
  {
    name: 'table-get-out-of-bounds',
    message: 'out of bounds table access',
    wat: command(`(drop (table.get $t (i32.add ${ZERO} (i32.const 2))))`, TABLE),
  },
  {
    name: 'call-indirect-undefined',
    message: 'undefined element',
    wat: command(`(call $exit (call_indirect $t (type $i2i) (i32.const 3) (i32.add ${ZERO} (i32.const 2))))`, TABLE),
  },
  {
    name: 'call-indirect-uninitialized',
    message: 'uninitialized element',
    wat: command(`(call $exit (call_indirect $t (type $i2i) (i32.const 3) (i32.add ${ZERO} (i32.const 1))))`, TABLE),
  },
  {
    name: 'call-indirect-type-mismatch',
    message: 'indirect call type mismatch',
    wat: command(`(call $exit (call_indirect $t (type $v2i) ${ZERO}))`, TABLE),
  },
  {
    name: 'stack-exhausted',
    message: 'call stack exhausted',
    wat: command(
      '(call $exit (call $down (i32.const 0)))',
      '(func $down (param i32) (result i32) (i32.add (call $down (i32.add (local.get 0) (i32.const 1))) (local.get 0)))',
    ),
  },
  {
    name: 'stack-exhausted-indirect',
    message: 'call stack exhausted',
    wat: command(
      `(call $exit (call_indirect $t2 (type $f) (i32.const 0) ${ZERO}))`,
      `(type $f (func (param i32) (result i32)))
       (table $t2 1 funcref)
       (elem (table $t2) (i32.const 0) func $again)
       (func $again (type $f) (i32.add (call_indirect $t2 (type $f) (i32.add (local.get 0) (i32.const 1)) (i32.const 0)) (i32.const 1)))`,
    ),
  },
];

const CONFIGS: Config[] = [
  { target: 'x86_64', opt: 2 },
  { target: 'aarch64', opt: 2 },
  { target: 'x86_64', opt: 0 },
];
const EXPLICIT: Config[] = [
  { target: 'x86_64', opt: 2, bounds: 'explicit' },
  { target: 'aarch64', opt: 2, bounds: 'explicit' },
];
const configsOf = (t: TrapCase): Config[] => [...CONFIGS, ...(t.memory ? EXPLICIT : [])];

const missing = new Map<string, string | undefined>();
for (const cfg of [...CONFIGS, ...EXPLICIT]) {
  const why = configMissing(cfg);
  missing.set(configName(cfg), why);
  if (why) console.warn(`e2e: ${configName(cfg)} trap cases skipped: ${why}`);
}
const enabled = (cfg: Config): boolean => missing.get(configName(cfg)) === undefined;
const program = (t: TrapCase): string => `trap-${t.name}`;
const skipped = (t: TrapCase, cfg: Config): boolean => !RUN_KNOWN && knownFailure(program(t), configName(cfg)) !== undefined;

printKnownFailures();
setOrder(TRAPS.map(program));

function result(t: TrapCase, cfg: Config) {
  const name = program(t);
  const wasm = buildWat(t.name, t.wat);
  return runKiln(name, buildExecutable(name, wasm, cfg), cfg);
}

beforeAll(() => {
  for (const t of TRAPS) for (const cfg of configsOf(t)) if (enabled(cfg) && !skipped(t, cfg)) void result(t, cfg);
});

describe.each(TRAPS)('trap $name', (t) => {
  for (const cfg of configsOf(t)) {
    const name = configName(cfg);
    const reason = knownFailure(program(t), name);
    if (reason && !RUN_KNOWN) console.warn(`e2e: skipping ${program(t)} ${name} (known failure: ${reason})`);
    const test = enabled(cfg) && !skipped(t, cfg) ? it : it.skip;
    test(`${name}: wasm trap: ${t.message}, exit 134`, async () => {
      const r = unwrap(await result(t, cfg), `${t.name} on ${name}`);
      expect({ stderr: r.stderr, exitCode: r.exitCode }).toEqual({ stderr: `wasm trap: ${t.message}\n`, exitCode: 134 });
      expect(r.stdout).toBe('before\n');
    }, 300_000);
  }
});
