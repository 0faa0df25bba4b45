/**
 * What a fuzz case is and how engines' answers are compared.
 *
 * A case is one module plus a plan of steps: instantiate, call exports with arguments,
 * observe state (memory hash, globals, log hash). Every engine turns the plan into one
 * outcome string per step; the interpreter's strings are the oracle.
 *
 * Outcome strings:  "ok" (no results) · "i32:0x0000002a f64:0x…" (results, by bits) ·
 * "trap:<kiln message>" · "exhausted" · "noinst" (steps after a failed instantiation) ·
 * "crash:<why>" · "compile-error:<why>" · "state <values>".
 */
import type { FuncType, Type } from '../src/ir/types.js';

export interface Arg {
  type: Type;
  /** Bits for numbers (i32/f32 as u32, i64/f64 as u64); 0 = null for references. */
  bits: bigint;
}

export type Step =
  | { kind: 'inst' }
  | { kind: 'call'; name: string; args: Arg[] }
  /** Observe: `__fuzz_state` (if exported), the listed globals, and the log hash of the helper. */
  | { kind: 'state' };

export interface FuzzCase {
  id: string;
  wasm: Uint8Array;
  steps: Step[];
  /** Signatures of the exported functions the plan calls (and `__fuzz_state`). */
  sigs: Record<string, FuncType>;
  /** Exported globals read by state steps, with their types. */
  globals: { name: string; type: Type }[];
  hasStateFn: boolean;
  /** The `fuzzing-support` host module (helper.ts), when the module imports it. */
  helper?: Uint8Array;
}

export const STATE_FN = '__fuzz_state';

/**
 * The state probe's memory hash (both generators emit it as `__fuzz_state() -> i64`):
 * h = 0x2545f491; for each little-endian i32 word w of memory 0: h = (rotl(h, 5) ^ w) * 0x9e3779b1;
 * result i64.extend_i32_u(h). 32-bit so that the oracle computes it in JS over the interpreter's
 * memory (running the loop in the interpreter dominated the fuzzer's time on large memories).
 */
export const STATE_SEED = 0x2545f491;
export const STATE_MUL = 0x9e3779b1 | 0;
export function stateHash(mem: Uint8Array): bigint {
  const w = new Int32Array(mem.buffer, mem.byteOffset, mem.byteLength >>> 2);
  let h = STATE_SEED;
  for (let i = 0; i < w.length; i++) h = Math.imul(((h << 5) | (h >>> 27)) ^ w[i]!, STATE_MUL);
  return BigInt(h >>> 0);
}

// ---- value formatting (the spec driver's result syntax) ----

export function hex(bits: bigint, width: 32 | 64): string {
  return '0x' + BigInt.asUintN(width, bits).toString(16).padStart(width / 4, '0');
}

export function formatValue(type: Type, bits: bigint): string {
  switch (type) {
    case 'i32':
    case 'f32':
      return `${type}:${hex(bits, 32)}`;
    case 'i64':
    case 'f64':
      return `${type}:${hex(bits, 64)}`;
    case 'funcref':
      return bits ? 'ref.func' : 'ref.null:func';
    case 'externref':
      return bits ? `ref.extern:${bits - 1n}` : 'ref.null:extern';
    default:
      return `${type}:?`;
  }
}

/** An argument in the driver's syntax. */
export function driverArg(a: Arg): string {
  switch (a.type) {
    case 'funcref':
      return 'ref.null:func';
    case 'externref':
      return a.bits ? `ref.extern:${a.bits - 1n}` : 'ref.null:extern';
    default:
      return formatValue(a.type, a.bits);
  }
}

// ---- comparison ----

const TRAP_CLASS: Record<string, string> = {
  unreachable: 'unreachable',
  'integer divide by zero': 'div0',
  'integer overflow': 'overflow',
  'invalid conversion to integer': 'conversion',
  'out of bounds memory access': 'memory',
  'out of bounds table access': 'table',
  'undefined element': 'table',
  'uninitialized element': 'indirect',
  'indirect call type mismatch': 'indirect',
};

/** V8's RuntimeError texts → the class of kiln's message (V8 merges some of the spec's traps). */
export const V8_TRAPS: [RegExp, string][] = [
  [/unreachable/, 'unreachable'],
  [/divide by zero|remainder by zero/, 'div0'],
  [/divide result unrepresentable/, 'overflow'],
  [/float unrepresentable/, 'conversion-or-overflow'],
  [/memory access out of bounds|data segment.*out of bounds|out of bounds memory/, 'memory'],
  [/table index is out of bounds|element segment.*out of bounds|table (access|get|set).*out of bounds|out of bounds table/, 'table'],
  [/null function|signature mismatch/, 'indirect'],
];

function isNanBits(tok: string): boolean {
  const m = /^(f32|f64):(0x[0-9a-f]+|nan)$/.exec(tok);
  if (!m) return false;
  if (m[2] === 'nan') return true;
  const b = BigInt(m[2]!);
  if (m[1] === 'f32') return (b & 0x7f800000n) === 0x7f800000n && (b & 0x7fffffn) !== 0n;
  return (b & 0x7ff0000000000000n) === 0x7ff0000000000000n && (b & 0xfffffffffffffn) !== 0n;
}

function sameToken(a: string, b: string): boolean {
  if (a === b) return true;
  // NaN payloads and signs are nondeterministic in wasm (and V8 does not preserve them through JS):
  // any NaN matches any NaN of the same type. Bit-exact checks go through i32/i64 reinterpretation.
  return a.slice(0, 3) === b.slice(0, 3) && isNanBits(a) && isNanBits(b);
}

/** True when the two outcomes agree. `coarseTraps` compares trap classes (for V8). */
export function sameOutcome(a: string, b: string, coarseTraps: boolean): boolean {
  if (a === b) return true;
  if (a.startsWith('trap:') && b.startsWith('trap:')) {
    if (!coarseTraps) return false;
    const ca = TRAP_CLASS[a.slice(5)] ?? a.slice(5);
    const cb = TRAP_CLASS[b.slice(5)] ?? b.slice(5);
    const loose = (x: string, y: string): boolean => x === 'conversion-or-overflow' && (y === 'conversion' || y === 'overflow');
    return ca === cb || loose(ca, cb) || loose(cb, ca);
  }
  const ta = a.split(' ');
  const tb = b.split(' ');
  return ta.length === tb.length && ta.every((t, i) => sameToken(t, tb[i]!));
}

/** Resource exhaustion is allowed anywhere; after it nothing in that instance is comparable. */
export function isExhaustion(o: string): boolean {
  return o === 'exhausted' || o === 'trap:call stack exhausted';
}

export interface Mismatch {
  caseId: string;
  engine: string;
  step: number;
  expected: string;
  got: string;
}

/** The first step at which `got` disagrees with the oracle, if any. */
export function firstMismatch(c: FuzzCase, engine: string, oracle: string[], got: string[], coarseTraps: boolean): Mismatch | undefined {
  for (let i = 0; i < c.steps.length; i++) {
    const e = oracle[i] ?? 'missing';
    const g = got[i] ?? 'missing';
    // A crash is never acceptable, even where the oracle ran out of stack.
    if (g.startsWith('crash:') && !e.startsWith('crash:')) return { caseId: c.id, engine, step: i, expected: e, got: g };
    // 'skip': the engine cannot express this step (V8: NaN payloads through JS); nothing after it is comparable.
    if (isExhaustion(e) || isExhaustion(g) || g === 'skip') return undefined;
    if (!sameOutcome(e, g, coarseTraps)) return { caseId: c.id, engine, step: i, expected: e, got: g };
  }
  return undefined;
}

export function describeStep(s: Step): string {
  if (s.kind === 'call') return `call ${s.name}(${s.args.map(driverArg).join(', ')})`;
  return s.kind;
}
