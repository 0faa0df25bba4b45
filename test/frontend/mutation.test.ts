/**
 * Robustness: deterministic mutations of valid spec modules must never make the
 * decoder/validator throw; every rejection is a value with an offset inside the input.
 * A module that still validates must also validate function by function, and V8's
 * WebAssembly.validate must accept it too.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeModule } from '../../src/frontend/decode.js';
import { loadModule, validateFunction } from '../../src/frontend/validate.js';
import { Imm, Kind, OPS, opcodeBytes } from '../../src/frontend/opcodes.js';
import type { WasmModule } from '../../src/frontend/module.js';
import { u32 } from './wasm-builder.js';
import { disassembleFunction, formatInspect, inspectModule } from '../../src/frontend/inspect.js';
import { convertWast, readModule, topLevelWastFiles } from './spec-helper.js';

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
const corpus: Uint8Array[] = [];

beforeAll(async () => {
  for (const f of files) {
    const c = await convertWast(f);
    for (const cmd of c.commands) {
      if (cmd.type !== 'module' || !cmd.filename?.endsWith('.wasm')) continue;
      const bytes = readModule(c, cmd.filename);
      if (bytes.length > 8 && bytes.length < 20_000 && loadModule(bytes).ok) corpus.push(bytes);
    }
  }
});


describe('mutation robustness', () => {
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
          else disassembleFunction(v.value);
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

/** Plausible immediates for an instruction: small indices, some out of range, some bad lanes/alignments. */
function immediates(imm: Imm, rnd: () => number): number[] {
  const small = () => rnd() % 3;
  switch (imm) {
    case Imm.None:
      return [];
    case Imm.MemZero:
      return [0];
    case Imm.BlockType:
      return [[0x40, 0x7f, 0x7e, 0x7b, 0x70, 0][rnd() % 6]!];
    case Imm.BrTable:
      return [1, small(), small()];
    case Imm.MemArg:
      return [rnd() % 5, small()];
    case Imm.MemInit:
      return [small(), 0];
    case Imm.MemCopy:
      return [0, 0];
    case Imm.CallIndirect:
    case Imm.TableInit:
    case Imm.TableCopy:
      return [small(), small()];
    case Imm.F32:
      return [0, 0, 0, 0];
    case Imm.F64:
      return new Array<number>(8).fill(0);
    case Imm.V128:
    case Imm.Shuffle:
      return Array.from({ length: 16 }, () => rnd() % 34);
    case Imm.Lane:
      return [rnd() % 17];
    case Imm.MemArgLane:
      return [rnd() % 5, 0, rnd() % 17];
    case Imm.SelectT:
      return [1, [0x7f, 0x7e, 0x70, 0x6f][rnd() % 4]!];
    case Imm.RefType:
      return [[0x70, 0x6f][rnd() % 2]!];
    default:
      return [small()];
  }
}

/** The module with function `fi`'s body replaced (the code section is re-encoded). */
function withBody(src: Uint8Array, m: WasmModule, fi: number, body: number[]): Uint8Array {
  const code = m.sections.find((x) => x.id === 10)!;
  const entries: number[] = [...u32(m.funcs.length)];
  m.funcs.forEach((g, j) => {
    const b = j === fi ? body : Array.from(src.subarray(g.bodyStart, g.bodyEnd));
    entries.push(...u32(b.length), ...b);
  });
  return new Uint8Array([...src.subarray(0, code.offset), 10, ...u32(entries.length), ...entries, ...src.subarray(code.start + code.size)]);
}

const INSTR_MUTATIONS = 3000;

describe('validator vs V8', () => {
  it(`${INSTR_MUTATIONS} instruction-level mutations: same verdict as WebAssembly.validate`, () => {
    const rnd = prng(0x77a5);
    const straight = OPS.filter((o) => ![Kind.Block, Kind.Loop, Kind.If, Kind.Else, Kind.End].includes(o.kind));
    const withFuncs = corpus.filter((b) => {
      const l = loadModule(b);
      return l.ok && l.value.module.funcs.length > 0;
    });
    const problems: string[] = [];
    let accepted = 0;
    for (let i = 0; i < INSTR_MUTATIONS; i++) {
      const src = withFuncs[rnd() % withFuncs.length]!;
      const l = loadModule(src);
      if (!l.ok) throw new Error('corpus module no longer valid');
      const m = l.value.module;
      const fi = rnd() % m.funcs.length;
      const vf = validateFunction(m, m.numImportedFuncs + fi);
      if (!vf.ok) throw new Error(vf.error.message);
      const f = vf.value;
      const k = rnd() % Math.max(1, f.count - 1);
      const at = f.offsets[k]!;
      const next = f.offsets[k + 1] ?? at;
      const op = straight[rnd() % straight.length]!;
      const ins = [...opcodeBytes(op.id), ...immediates(op.imm, rnd)];
      const replace = rnd() % 2 === 0;
      const g = m.funcs[fi]!;
      const body = [...src.subarray(g.bodyStart, at), ...ins, ...src.subarray(replace ? next : at, g.bodyEnd)];
      const bytes = withBody(src, m, fi, body);
      const ours = loadModule(bytes);
      const theirs = v8Validate(bytes);
      if (ours.ok) accepted++;
      if (ours.ok !== theirs) {
        problems.push(
          `#${i} ${replace ? 'replace' : 'insert'} ${op.name} [${ins.join(' ')}]: ` +
            (ours.ok ? 'accepted here, rejected by V8' : `rejected here (${ours.error.message}), accepted by V8`),
        );
      }
    }
    console.log(`[mutation frontend] ${INSTR_MUTATIONS} instruction mutations: ${accepted} valid, ${INSTR_MUTATIONS - accepted} invalid, ${problems.length} disagreements with V8`);
    expect(problems.slice(0, 20)).toEqual([]);
  });
});
