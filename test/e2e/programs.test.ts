/**
 * End to end: C programs (test/e2e/programs/*.c) compiled by clang-14 to wasm32-wasi, run by
 * kiln on x86_64 (natively, -O0 and -O2) and AArch64 (under qemu, -O2), and by Node's WASI.
 * stdout, stderr and the exit status must be identical to Node's, and the two targets must
 * agree with each other.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  buildExecutable,
  buildProgram,
  configMissing,
  configName,
  knownFailure,
  printKnownFailures,
  RUN_KNOWN,
  setOrder,
  runKiln,
  runReference,
  unwrap,
  type Config,
  type RunInput,
} from './harness.js';

interface Program extends RunInput {
  /** Unique case name; also the source file (programs/<name>.c) unless `source` is given. */
  name: string;
  source?: string;
  /** clang flags after the common ones. */
  cflags?: string[];
  /** Also run with `--bounds explicit` (memory-heavy programs). */
  explicit?: boolean;
  /** The program ends in this trap (else it must finish without one). */
  trap?: string;
}

/** Post-MVP features clang-14 leaves off by default: sign-extension ops, trunc_sat, memory.copy/fill. */
const FEATURES = ['-msign-ext', '-mnontrapping-fptoint', '-mbulk-memory', '-mmutable-globals'];

/** Deterministic text for the stdin program: some long lines, blank lines, tabs, digits, no final newline. */
function sampleText(): string {
  const words = ['kiln', 'wasm', 'native', 'trap', 'qemu', 'stack', 'heap', 'table', 'grow', 'Lorem', 'ipsum'];
  const lines: string[] = [];
  let s = 7;
  for (let i = 0; i < 300; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    const n = i % 17 === 0 ? 0 : 1 + (s % 23);
    const ws: string[] = [];
    for (let j = 0; j < n; j++) ws.push(words[(s + j * 7) % words.length]! + (j % 5 === 0 ? String(i * j) : ''));
    lines.push(ws.join(i % 3 === 0 ? '\t ' : ' '));
  }
  return lines.join('\n') + '\nlast line without newline';
}

export const PROGRAMS: Program[] = [
  { name: 'stdio' },
  { name: 'alloc' },
  { name: 'floats' },
  { name: 'recursion' },
  { name: 'qsort' },
  { name: 'strings', explicit: true },
  { name: 'interp' },
  { name: 'int64' },
  { name: 'bits' },
  { name: 'structs' },
  { name: 'wc', stdin: sampleText() },
  { name: 'args', args: ['hello', '42', '--verbose', '-7', '0x10', '', 'two words', 'h\u00e9llo'] },
  { name: 'memgrow', explicit: true },
  { name: 'hash', explicit: true },
  { name: 'convert' },
  { name: 'trap', trap: 'integer divide by zero' },
  // the same sources with other wasm in them
  { name: 'convert+features', source: 'convert', cflags: FEATURES },
  { name: 'strings+features', source: 'strings', cflags: FEATURES },
  { name: 'structs+features', source: 'structs', cflags: FEATURES },
  { name: 'interp-clang-O0', source: 'interp', cflags: ['-O0'] },
];

// KILN_E2E_WIDE=1: every program also built by clang at -O0 and -Os (slower; for hunting bugs).
if (process.env.KILN_E2E_WIDE === '1') {
  const base = PROGRAMS.filter((p) => !p.source);
  for (const level of ['-O0', '-Os']) for (const p of base) PROGRAMS.push({ ...p, name: `${p.name}-clang${level}`, source: p.name, cflags: [level], explicit: false });
}

const X64_O2: Config = { target: 'x86_64', opt: 2 };
const X64_O0: Config = { target: 'x86_64', opt: 0 };
const A64_O2: Config = { target: 'aarch64', opt: 2 };
const EXPLICIT: Config[] = [
  { target: 'x86_64', opt: 2, bounds: 'explicit' },
  { target: 'aarch64', opt: 2, bounds: 'explicit' },
];
const configsOf = (p: Program): Config[] => [X64_O2, A64_O2, X64_O0, ...(p.explicit ? EXPLICIT : [])];

const missing = new Map<string, string | undefined>();
for (const cfg of [X64_O2, A64_O2, X64_O0, ...EXPLICIT]) {
  const why = configMissing(cfg);
  missing.set(configName(cfg), why);
  if (why) console.warn(`e2e: ${configName(cfg)} program cases skipped: ${why}`);
}
printKnownFailures();
setOrder(PROGRAMS.map((p) => p.name));

/** Generous: the work is scheduled up front and a shared CI box may be slow. */
const TIMEOUT = 300_000;

const enabled = (cfg: Config): boolean => missing.get(configName(cfg)) === undefined;

function artifacts(p: Program) {
  const wasm = buildProgram(p.name, p.source, p.cflags);
  const ref = runReference(p.name, wasm, p);
  const run = (cfg: Config) => runKiln(p.name, buildExecutable(p.name, wasm, cfg), cfg, p);
  return { wasm, ref, run };
}

// Schedule everything up front, in the order the tests will want it: each program's reference
// and fast configurations first, so the first tests can finish while later programs build.
beforeAll(() => {
  for (const p of PROGRAMS) {
    const a = artifacts(p);
    void a.ref;
    for (const cfg of configsOf(p)) if (enabled(cfg) && (RUN_KNOWN || !knownFailure(p.name, configName(cfg)))) void a.run(cfg);
  }
});

/** `it`, or `it.skip` with the reason printed, for a known failure (of any of `caseNames`). */
function caseIt(program: string, ...caseNames: string[]): typeof it | typeof it.skip {
  const reason = caseNames.map((c) => knownFailure(program, c)).find((r) => r !== undefined);
  const caseName = caseNames[0];
  if (!reason || RUN_KNOWN) return it;
  console.warn(`e2e: skipping ${program} ${caseName} (known failure: ${reason})`);
  return it.skip;
}

describe.each(PROGRAMS)('$name', (p) => {
  it(`reference run under Node WASI ${p.trap ? 'traps' : 'completes'}`, async () => {
    const ref = unwrap(await artifacts(p).ref, 'reference');
    expect(ref.stdout.length).toBeGreaterThan(0);
    if (p.trap) expect({ stderr: ref.stderr, exitCode: ref.exitCode }).toEqual({ stderr: `wasm trap: ${p.trap}\n`, exitCode: 134 });
    else expect(ref.stderr).not.toContain('wasm trap');
  }, TIMEOUT);

  for (const cfg of configsOf(p)) {
    const name = configName(cfg);
    const t = enabled(cfg) ? caseIt(p.name, name) : it.skip;
    t(`${name} matches Node`, async () => {
      const a = artifacts(p);
      const ref = unwrap(await a.ref, 'reference');
      const got = unwrap(await a.run(cfg), `kiln ${name}`);
      expect(got).toEqual(ref);
    }, TIMEOUT);
  }

  const diff = enabled(A64_O2) ? caseIt(p.name, 'diff', configName(X64_O2), configName(A64_O2)) : it.skip;
  diff('x86_64 and aarch64 agree', async () => {
    const a = artifacts(p);
    const x = unwrap(await a.run(X64_O2), 'kiln x86_64-O2');
    const y = unwrap(await a.run(A64_O2), 'kiln aarch64-O2');
    expect(y).toEqual(x);
  }, TIMEOUT);
});
