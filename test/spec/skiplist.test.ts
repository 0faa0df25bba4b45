import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSkipList, skipReason, type SkipList } from '../../src/spec/skiplist.js';
import type { SpecCommand } from '../../src/spec/script.js';

const cmd = (c: Partial<SpecCommand> & { type: string; line: number }): SpecCommand => c as SpecCommand;

/** A module whose only content is one function type with a `param` of type byte `t` (0x7f i32, 0x7b v128). */
const moduleWithParam = (t: number) => new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 5, 1, 0x60, 1, t, 0]);

describe('skip list', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kiln-skiplist-'));
  writeFileSync(join(dir, 'simd.wasm'), moduleWithParam(0x7b));
  writeFileSync(join(dir, 'scalar.wasm'), moduleWithParam(0x7f));
  const list: SkipList = {
    rules: [
      { engines: ['*'], match: { type: 'assert_malformed', module_type: 'text' }, reason: 'text' },
      { engines: ['x86_64-linux'], files: ['simd_*.wast'], match: { type: 'module' }, moduleUses: 'v128', reason: 'no SIMD' },
      { engines: ['interp'], files: ['proposals/*/load.wast'], reason: 'whole file' },
    ],
    entries: [{ engines: ['aarch64-linux'], file: 'i32.wast', line: 7, reason: 'one line' }],
  };

  it('matches rules by command fields, by file glob and by the module using v128', () => {
    expect(skipReason(list, 'interp', '/t/a.wast', cmd({ type: 'assert_malformed', module_type: 'text', line: 1 }))).toBe('text');
    const simd = cmd({ type: 'module', line: 3, filename: 'simd.wasm' });
    const scalar = cmd({ type: 'module', line: 4, filename: 'scalar.wasm' });
    expect(skipReason(list, 'x86_64-linux', '/t/simd_const.wast', simd, dir)).toBe('no SIMD');
    expect(skipReason(list, 'x86_64-linux', '/t/simd_const.wast', scalar, dir)).toBeUndefined();
    expect(skipReason(list, 'x86_64-linux', '/t/const.wast', simd, dir)).toBeUndefined();
    expect(skipReason(list, 'aarch64-linux', '/t/simd_const.wast', simd, dir)).toBeUndefined();
    expect(skipReason(list, 'x86_64-linux', '/t/simd_const.wast', cmd({ type: 'assert_invalid', line: 5, filename: 'simd.wasm' }), dir)).toBeUndefined();
    expect(skipReason(list, 'interp', '/t/proposals/memory64/load.wast', cmd({ type: 'assert_return', line: 9 }))).toBe('whole file');
    expect(skipReason(list, 'interp', '/t/load.wast', cmd({ type: 'assert_return', line: 9 }))).toBeUndefined();
  });

  it('keeps per-line entries', () => {
    expect(skipReason(list, 'aarch64-linux', '/t/i32.wast', cmd({ type: 'assert_return', line: 7 }))).toBe('one line');
    expect(skipReason(list, 'aarch64-linux', '/t/i32.wast', cmd({ type: 'assert_return', line: 8 }))).toBeUndefined();
    expect(skipReason(list, 'x86_64-linux', '/t/i32.wast', cmd({ type: 'assert_return', line: 7 }))).toBeUndefined();
  });

  it('the checked-in list skips SIMD modules by one rule per native engine', () => {
    const l = loadSkipList();
    const simdRules = l.rules.filter((r) => r.moduleUses === 'v128');
    expect(simdRules.map((r) => r.engines).sort()).toEqual([['aarch64-linux'], ['x86_64-linux']]);
    expect(l.entries.filter((e) => e.file.startsWith('simd_'))).toEqual([]);
  });
});
