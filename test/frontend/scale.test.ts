/**
 * Scale: big modules decode and validate in linear time without recursion, and
 * validateModule keeps nothing per instruction. Timings are printed, bounds are generous
 * (the CI box is shared).
 */
import { describe, expect, it } from 'vitest';
import { decodeModule } from '../../src/frontend/decode.js';
import { validateFunction, validateModule } from '../../src/frontend/validate.js';
import { memSec, T, typeSec, u32 } from './wasm-builder.js';

/** A module of `n` copies of one function body (bytes assembled directly, no per-byte arrays). */
function replicate(body: number[], n: number): Uint8Array {
  const entry = Uint8Array.from([...u32(body.length), ...body]);
  const funcSecContent = [...u32(n), ...new Array<number>(n).fill(0)];
  const head = [0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, ...typeSec([[], []]), 3, ...u32(funcSecContent.length), ...funcSecContent, ...memSec(1)];
  const hdr = [...head, 10, ...u32(u32(n).length + n * entry.length), ...u32(n)];
  const out = new Uint8Array(hdr.length + n * entry.length);
  out.set(hdr);
  for (let i = 0, p = hdr.length; i < n; i++, p += entry.length) out.set(entry, p);
  return out;
}

function timed<T>(f: () => T): [T, number] {
  const t = performance.now();
  const r = f();
  return [r, performance.now() - t];
}

describe('scale', () => {
  it('16 MB of small functions', () => {
    // local.get 0; i32.const 1; i32.add; local.set 0; local.get 0; i32.load; drop  (× 38)
    const unit = [0x20, 0, 0x41, 1, 0x6a, 0x21, 0, 0x20, 0, 0x28, 2, 0, 0x1a];
    const body = [1, 1, T.i32, ...Array.from({ length: 38 }, () => unit).flat(), 0x0b];
    const bytes = replicate(body, Math.floor((16 << 20) / (body.length + 2)));
    const [d, td] = timed(() => decodeModule(bytes));
    expect(d.ok).toBe(true);
    if (!d.ok) return;
    const [v, tv] = timed(() => validateModule(d.value));
    expect(v.ok).toBe(true);
    console.log(`[scale] ${(bytes.length / 1e6).toFixed(1)} MB, ${d.value.funcs.length} functions: decode ${td.toFixed(0)} ms, validate ${tv.toFixed(0)} ms`);
    expect(td + tv).toBeLessThan(60_000);
    const f = validateFunction(d.value, d.value.funcs.length - 1);
    expect(f.ok && f.value.count).toBe(38 * 7 + 1);
  });

  it('a 3 MB function nested 1M blocks deep: no recursion', () => {
    const depth = 1_000_000;
    const code = new Uint8Array(depth * 3 + 1 + 3);
    code.set([1, 1, T.i32]);
    let p = 3;
    for (let i = 0; i < depth; i++) code.set([0x02, 0x40], (p += 2) - 2);
    for (let i = 0; i < depth; i++) code[p++] = 0x0b;
    code[p++] = 0x0b;
    const bytes = replicate(Array.from(code.subarray(0, p)), 1);
    const [d, td] = timed(() => decodeModule(bytes));
    expect(d.ok).toBe(true);
    if (!d.ok) return;
    const [v, tv] = timed(() => validateModule(d.value));
    expect(v.ok).toBe(true);
    const f = validateFunction(d.value, 0);
    expect(f.ok && f.value.maxControlDepth).toBe(depth + 1);
    console.log(`[scale] ${depth} nested blocks: decode ${td.toFixed(0)} ms, validate ${tv.toFixed(0)} ms`);
  });
});
