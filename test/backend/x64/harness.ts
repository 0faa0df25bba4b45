/**
 * Test harness for the x86-64 encoder: encode a case in a fresh buffer, and disassemble
 * many byte strings with ONE objdump run (one blob, split by offsets).
 */

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CodeBuffer } from '../../../src/backend/codebuf.js';
import type { FinishedCode } from '../../../src/backend/codebuf.js';
import { encodeInst, linearSlots } from '../../../src/backend/x64/encode.js';
import type { EncodeContext } from '../../../src/backend/x64/encode.js';
import type { X64Inst } from '../../../src/backend/x64/inst.js';
import { RSP } from '../../../src/backend/x64/regs.js';

export const NUM_TEST_BLOCKS = 4;

/** Encodes `insts` into a fresh buffer whose labels 0..3 (= blocks 0..3) are bound at offset 0. */
export function encodeForTest(insts: X64Inst[], next?: number, slot = linearSlots(RSP, 0x20)): FinishedCode {
  const buf = new CodeBuffer();
  for (let b = 0; b < NUM_TEST_BLOCKS; b++) buf.bindLabel(buf.newLabel());
  const ctx: EncodeContext = { blockLabel: (b) => b, slot };
  if (next !== undefined) ctx.nextBlock = next;
  for (const i of insts) encodeInst(structuredClone(i), buf, ctx);
  return buf.finish();
}

export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
}

export function hasObjdump(): boolean {
  try {
    execFileSync('objdump', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Disassembles each byte string (all in one objdump run) and returns, per string, its
 * instructions' text joined with ' ; ': whitespace collapsed, `# …` comments dropped,
 * branch/call targets rewritten as `.+N` relative to the string's start.
 */
export function objdumpMany(chunks: Uint8Array[]): string[] {
  const total = chunks.reduce((n, c) => n + c.length, 0);
  const blob = new Uint8Array(total);
  const starts: number[] = [];
  let off = 0;
  for (const c of chunks) {
    starts.push(off);
    blob.set(c, off);
    off += c.length;
  }
  const dir = mkdtempSync(join(tmpdir(), 'kiln-x64-'));
  let out: string;
  try {
    const file = join(dir, 'blob.bin');
    writeFileSync(file, blob);
    out = execFileSync('objdump', ['-D', '-b', 'binary', '-m', 'i386:x86-64', '-M', 'intel', '--insn-width=16', file], {
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const lines: { at: number; text: string }[] = [];
  for (const line of out.split('\n')) {
    const mm = /^\s*([0-9a-f]+):\t[0-9a-f ]+\t(.*)$/.exec(line);
    if (!mm) continue;
    lines.push({ at: parseInt(mm[1]!, 16), text: mm[2]! });
  }
  const result: string[] = chunks.map(() => '');
  let ci = 0;
  const parts: string[][] = chunks.map(() => []);
  for (const l of lines) {
    while (ci + 1 < chunks.length && l.at >= starts[ci + 1]!) ci++;
    // skip empty chunks sharing an offset with the next one
    while (ci + 1 < chunks.length && chunks[ci]!.length === 0 && starts[ci + 1] === starts[ci]) ci++;
    const base = starts[ci]!;
    let text = l.text.replace(/\s*#.*$/, '').replace(/\s+/g, ' ').trim();
    text = text.replace(/^((?:j[a-z]+|call|loop[a-z]*) )0x([0-9a-f]+)$/, (_, op: string, a: string) => `${op}.+${parseInt(a, 16) - base}`);
    parts[ci]!.push(text);
  }
  for (let i = 0; i < chunks.length; i++) result[i] = parts[i]!.join(' ; ');
  return result;
}
