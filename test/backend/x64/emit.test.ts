/**
 * Function emission details that are not instruction encodings: loop headers aligned to
 * 16 bytes with multi-byte NOPs, and branches to a block that is only a jump threaded
 * straight to its target.
 */

import { describe, expect, it } from 'vitest';
import { CodeBuffer } from '../../../src/backend/codebuf.js';
import type { MFunc } from '../../../src/backend/minst.js';
import type { AllocResult } from '../../../src/backend/regalloc/index.js';
import { LOOP_ALIGN, emitFunction, padToLoopAlignment } from '../../../src/backend/x64/emit.js';
import { Cond, type X64Inst } from '../../../src/backend/x64/inst.js';
import { RAX } from '../../../src/backend/x64/regs.js';

const alloc = { slotOffset: [], spillAreaSize: 0 } as unknown as AllocResult;

describe('x86-64 emission: loop alignment and jump threading', () => {
  it('pads to the next 16-byte boundary with multi-byte NOPs only', () => {
    for (let start = 0; start < 16; start++) {
      const buf = new CodeBuffer();
      for (let k = 0; k < start; k++) buf.emit8(0xcc);
      padToLoopAlignment(buf);
      const bytes = buf.finish().bytes.slice(start);
      expect((start + bytes.length) % LOOP_ALIGN).toBe(0);
      // At most two NOP instructions, each starting with 66, 90 or 0F 1F.
      expect(bytes.length).toBeLessThan(16);
      let i = 0;
      let count = 0;
      while (i < bytes.length) {
        count++;
        if (bytes[i] === 0x90) i += 1;
        else if (bytes[i] === 0x66 && bytes[i + 1] === 0x90) i += 2;
        else {
          const p = bytes[i] === 0x66 ? i + 1 : i;
          expect([bytes[p], bytes[p + 1]]).toEqual([0x0f, 0x1f]);
          const modrm = bytes[p + 2]!;
          const len = (modrm >> 6 === 0 ? 3 : modrm >> 6 === 1 ? 4 : 7) + ((modrm & 7) === 4 ? 1 : 0);
          i = p + len;
        }
      }
      expect(i).toBe(bytes.length);
      expect(count).toBeLessThanOrEqual(2);
    }
  });

  it('aligns a loop header and sends the back-edge branch past a block that only jumps', () => {
    // b0: mov eax, 3 · b1 (header): sub eax, 1; jne b3 / else b2 · b2: ret · b3: jmp b1
    const mf: MFunc<X64Inst> = {
      name: 'loop',
      blocks: [
        { insts: [{ op: 'mov_ri', size: 32, dst: RAX, imm: 3n }], succs: [1], preds: [] },
        { insts: [{ op: 'alu_ri', aop: 'sub', size: 32, dst: RAX, imm: 1 }, { op: 'jcc', cc: Cond.NE, taken: 3, notTaken: 2 }], succs: [3, 2], preds: [0, 3] },
        { insts: [{ op: 'ret', rets: [] }], succs: [], preds: [1] },
        { insts: [{ op: 'jmp', target: 1 }], succs: [1], preds: [1] },
      ],
      vregClass: [],
      spillSlots: 0,
      usedCalleeSaved: [],
    } as unknown as MFunc<X64Inst>;
    const buf = new CodeBuffer();
    emitFunction(mf, alloc, { outgoingBytes: 0, stackCheck: false }, buf);
    const bytes = buf.finish().bytes;
    // The jne (0F 85 rel32) is the first one in the code; its target is the header.
    let at = -1;
    for (let i = 0; i + 1 < bytes.length; i++) if (bytes[i] === 0x0f && bytes[i + 1] === 0x85) { at = i; break; }
    expect(at).toBeGreaterThan(0);
    const rel = new DataView(bytes.buffer, bytes.byteOffset + at + 2, 4).getInt32(0, true);
    const target = at + 6 + rel;
    expect(target % LOOP_ALIGN).toBe(0);
    expect(target).toBeLessThan(at); // backwards to the header, not forwards to the jump block
    // The header starts with the sub (83 E8 01), right after the padding NOPs.
    expect([...bytes.slice(target, target + 3)]).toEqual([0x83, 0xe8, 0x01]);
  });
});
