/**
 * Robustness: deterministic mutations of valid spec modules must never make the
 * decoder/validator throw; every rejection is a value with an offset inside the input.
 * A module that still validates must also validate function by function, and V8's
 * WebAssembly.validate must accept it too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeModule } from '../../src/frontend/decode.js';
import { loadModule, validateFunction } from '../../src/frontend/validate.js';
import { inspectModule, formatInspect } from '../../src/frontend/inspect.js';
import { convertWast, makeTempDir, readModule, topLevelWastFiles } from './spec-helper.js';

const SOURCES = [
  'binary', 'binary-leb128', 'block', 'br_table', 'bulk', 'call_indirect', 'custom', 'data', 'elem', 'exports',
  'func', 'global', 'if', 'imports', 'loop', 'memory', 'names', 'ref_func', 'select', 'simd_lane', 'simd_const',
  'simd_load', 'table_copy', 'table_init', 'unreached-valid', 'start', 'br_if', 'memory_init',
];
/** V8's validator (the lib config has no WebAssembly typings). */
const v8Validate = (globalThis as unknown as { WebAssembly: { validate(b: Uint8Array): boolean } }).WebAssembly.validate;

const MUTATIONS = Number(process.env.KILN_FRONTEND_MUTATIONS ?? 4000);

/** xorshift32: deterministic across runs and machines. */
function prng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
}

function mutate(src: Uint8Array, rnd: () => number): { bytes: Uint8Array; how: string } {
  const n = src.length;
  const at = 8 + (rnd() % Math.max(1, n - 8)); // mostly past the header
  const b = Array.from(src);
  switch (rnd() % 7) {
    case 0: {
      const flips = 1 + (rnd() % 3);
      for (let i = 0; i < flips; i++) {
        const p = rnd() % n;
        b[p]! ^= 1 << (rnd() % 8);
      }
      return { bytes: Uint8Array.from(b), how: `flip ${flips}` };
    }
    case 1:
      return { bytes: src.slice(0, rnd() % n), how: 'truncate' };
    case 2: {
      const k = 1 + (rnd() % 4);
      const ins = Array.from({ length: k }, () => [0x00, 0x80, 0xff, 0x0b, 0x41, 0xfd, 0xfc, rnd() & 0xff][rnd() % 8]!);
      b.splice(at, 0, ...ins);
      return { bytes: Uint8Array.from(b), how: `insert ${k} @${at}` };
    }
    case 3: {
      // Overlong LEB: re-encode a small byte as a padded multi-byte form, sometimes too long.
      const v = b[at]! & 0x7f;
      const pad = 1 + (rnd() % 5);
      const enc = [v | 0x80, ...new Array<number>(pad - 1).fill(0x80), 0x00];
      b.splice(at, 1, ...enc);
      return { bytes: Uint8Array.from(b), how: `overlong ${pad} @${at}` };
    }
    case 4:
      b.splice(at, 1 + (rnd() % 3));
      return { bytes: Uint8Array.from(b), how: `delete @${at}` };
    case 5:
      b[at] = [0x00, 0x7f, 0x80, 0xff, 0x40, 0x60][rnd() % 6]!;
      return { bytes: Uint8Array.from(b), how: `set @${at}` };
    default: {
      const len = 1 + (rnd() % 16);
      const from = rnd() % n;
      b.splice(at, 0, ...b.slice(from, from + len));
      return { bytes: Uint8Array.from(b), how: `dup ${len} @${at}` };
    }
  }
}

const files = topLevelWastFiles().filter((f) => SOURCES.some((s) => f.endsWith(`/${s}.wast`)));
const tmp = makeTempDir('mutation');
const corpus: Uint8Array[] = [];

beforeAll(async () => {
  for (const f of files) {
    const c = await convertWast(f, tmp.dir);
    if ('error' in c) throw new Error(c.error);
    for (const cmd of c.commands) {
      if (cmd.type !== 'module' || !cmd.filename?.endsWith('.wasm')) continue;
      const bytes = readModule(c, cmd.filename);
      if (bytes.length > 8 && bytes.length < 20_000 && loadModule(bytes).ok) corpus.push(bytes);
    }
  }
});

afterAll(() => tmp.dispose());

describe.skipIf(files.length === 0)('mutation robustness', () => {
  it(`${MUTATIONS} mutated modules: no exceptions, offsets in range`, () => {
    expect(corpus.length).toBeGreaterThan(100);
    const rnd = prng(0x6b696c6e);
    const outcome = { ok: 0, malformed: 0, invalid: 0 };
    let v8AcceptsOnly = 0;
    const problems: string[] = [];
    for (let i = 0; i < MUTATIONS; i++) {
      const src = corpus[rnd() % corpus.length]!;
      const { bytes, how } = mutate(src, rnd);
      let r: ReturnType<typeof loadModule>;
      try {
        r = loadModule(bytes);
      } catch (e) {
        problems.push(`#${i} (${how}): threw ${String(e)}`);
        continue;
      }
      if (r.ok) {
        outcome.ok++;
        // Differential check against V8: whatever we accept, it accepts too (V8 accepts
        // more — some post-2.0 proposals — so the converse is only counted).
        if (!v8Validate(bytes)) problems.push(`#${i} (${how}): accepted, but V8 rejects it`);
        const m = r.value.module;
        for (let f = 0; f < m.funcs.length; f++) {
          const v = validateFunction(m, m.numImportedFuncs + f);
          if (!v.ok) problems.push(`#${i} (${how}): module valid but function ${f} not: ${v.error.message}`);
        }
        formatInspect(inspectModule(m, bytes));
        continue;
      }
      const e = r.error;
      outcome[e.kind as 'malformed' | 'invalid']++;
      if (v8Validate(bytes)) v8AcceptsOnly++;
      if (!Number.isInteger(e.offset) || e.offset < 0 || e.offset > bytes.length) {
        problems.push(`#${i} (${how}): offset ${e.offset} outside [0, ${bytes.length}]`);
      }
      if (!e.message || e.message.startsWith('internal error')) problems.push(`#${i} (${how}): ${e.message}`);
      if (e.kind !== 'malformed' && e.kind !== 'invalid') problems.push(`#${i} (${how}): kind ${e.kind}`);
      // The decoder alone must also be safe on the same bytes.
      decodeModule(bytes);
    }
    console.log(
      `[mutation frontend] ${MUTATIONS} mutations of ${corpus.length} modules: ` +
        `${outcome.ok} still valid, ${outcome.malformed} malformed, ${outcome.invalid} invalid; ` +
        `${v8AcceptsOnly} rejected here but accepted by V8 (post-2.0 features)`,
    );
    expect(problems.slice(0, 20)).toEqual([]);
  });
});
