/**
 * Scale guards: the translation stays roughly linear on big functions (deep nesting,
 * a wide br_table, many locals assigned inside loops, a long straight line).
 */
import { describe, expect, it } from 'vitest';
import { translateFunction } from '../../src/frontend/translate.js';
import { verifyFunc } from '../../src/ir/verify.js';
import { load, wat } from './helpers.js';

function timed<T>(f: () => T): { value: T; ms: number } {
  const t0 = performance.now();
  const value = f();
  return { value, ms: performance.now() - t0 };
}

describe('translate: scale', () => {
  it('deep nesting, a wide br_table and many locals', () => {
    const depth = 1000;
    const nLocals = 3000;
    let body = '';
    for (let k = 0; k < depth; k++) body += `(block $b${k} `;
    body += `(local.set 5 (i32.add (local.get 5) (i32.const 1)))`;
    body += `(br_table ${Array.from({ length: depth }, (_, k) => `$b${(k * 7) % depth}`).join(' ')} $b0 (local.get 0))`;
    for (let k = 0; k < depth; k++) body += `(local.set ${(k * 13) % nLocals} (local.get 0)))`;
    const loop = `(loop $l ${Array.from({ length: 500 }, (_, k) => `(local.set ${k * 5} (i32.add (local.get ${k * 5}) (i32.const 1)))`).join(' ')} (br_if $l (local.get 0)))`;
    const line = Array.from({ length: 20000 }, (_, k) => `(local.set 1 (i32.add (local.get 1) (i32.const ${k})))`).join(' ');
    const text = `(module (func (param i32) (result i32) (local ${'i32 '.repeat(nLocals)}) ${body} ${loop} ${line} (local.get 5)))`;
    const vm = load(wat(text));
    const { value: f, ms } = timed(() => translateFunction(vm, 0));
    expect(verifyFunc(f)).toEqual([]);
    const params = f.layout.reduce((n, b) => n + f.block(b).params.length, 0);
    console.log(`[translate scale] ${f.insts.length} instructions, ${f.layout.length} blocks, ${params} block params in ${ms.toFixed(0)} ms`);
    expect(ms).toBeLessThan(5000);
  });
});
