/**
 * Intel-syntax listings of x64 instructions (`--emit asm`, test failures). Close to what
 * llvm-mc prints; not meant to be re-assembled (pseudo-instructions print their operands).
 */

import type { Reg } from '../minst.js';
import type { FixedReg, Mem, SseOp, X64Inst, XMoveOp } from './inst.js';
import { regName } from './regs.js';
import type { GprWidth } from './regs.js';

export const COND_NAMES = ['o', 'no', 'b', 'ae', 'e', 'ne', 'be', 'a', 's', 'ns', 'p', 'np', 'l', 'ge', 'le', 'g'] as const;

function isMemOperand(x: Reg | Mem): x is Mem {
  return typeof x !== 'number';
}

function hex(n: number | bigint): string {
  const neg = n < 0;
  const a = neg ? -BigInt(n) : BigInt(n);
  const s = a < 10n ? a.toString() : `0x${a.toString(16)}`;
  return neg ? `-${s}` : s;
}

function r(reg: Reg, w: GprWidth = 64): string {
  return regName(reg, w);
}

const PTR: Record<number, string> = { 8: 'byte', 16: 'word', 32: 'dword', 64: 'qword', 128: 'xmmword' };

export function formatMem(m: Mem, bits?: number): string {
  const p = bits === undefined ? '' : `${PTR[bits]} ptr `;
  switch (m.kind) {
    case 'addr': {
      let s = m.base === undefined ? '' : r(m.base);
      if (m.index !== undefined) s += `${s === '' ? '' : ' + '}${r(m.index)}*${m.scale ?? 1}`;
      if (s === '') s = hex(m.disp);
      else if (m.disp !== 0) s += m.disp < 0 ? ` - ${hex(-m.disp)}` : ` + ${hex(m.disp)}`;
      return `${p}[${s}]`;
    }
    case 'rip-sym':
      return `${p}[rip + ${m.symbol}${m.addend === 0 ? '' : m.addend < 0 ? ` - ${hex(-m.addend)}` : ` + ${hex(m.addend)}`}]`;
    case 'rip-label':
      return `${p}[rip + .L${m.label}${m.disp ? ` + ${hex(m.disp)}` : ''}]`;
    case 'slot':
      return `${p}[slot${m.slot}${m.disp ? ` + ${hex(m.disp)}` : ''}]`;
  }
}

const XMOVE_BITS: Record<XMoveOp, number> = {
  movaps: 128, movapd: 128, movups: 128, movupd: 128, movdqa: 128, movdqu: 128, movss: 32, movsd: 64,
};

/** Bits an SSE op reads from a memory source (for the `ptr` size in listings). */
function sseMemBits(sop: SseOp): number {
  if (sop === 'cvtss2sd') return 32;
  if (sop === 'cvtsd2ss') return 64;
  if (/^(add|sub|mul|div|min|max|sqrt|ucomi)ss$/.test(sop)) return 32;
  if (/^(add|sub|mul|div|min|max|sqrt|ucomi)sd$/.test(sop)) return 64;
  return 128;
}

/** One instruction in Intel syntax (virtual registers print as v<n>; pseudo-instructions show their operands). */
export function formatInst(i: X64Inst): string {
  switch (i.op) {
    case 'mov_rr':
      return `mov ${r(i.dst, i.size)}, ${r(i.src, i.size)}`;
    case 'mov_ri':
      return `mov ${r(i.dst, i.size)}, ${hex(i.imm)}`;
    case 'load': {
      const m = formatMem(i.mem, i.width);
      if (i.width === 64 || (i.width === 32 && (i.ext === 'zx' || i.size === 32))) return `mov ${r(i.dst, i.width)}, ${m}`;
      if (i.width === 32) return `movsxd ${r(i.dst, 64)}, ${m}`;
      return i.ext === 'zx' ? `movzx ${r(i.dst, 32)}, ${m}` : `movsx ${r(i.dst, i.size)}, ${m}`;
    }
    case 'gzero':
      return `xor ${r(i.dst, 32)}, ${r(i.dst, 32)}`;
    case 'store':
      return `mov ${formatMem(i.mem, i.width)}, ${r(i.src, i.width)}`;
    case 'store_imm':
      return `mov ${formatMem(i.mem, i.width)}, ${hex(i.imm)}`;
    case 'ext_rr':
      if (i.from === 32) return i.signed ? `movsxd ${r(i.dst, 64)}, ${r(i.src, 32)}` : `mov ${r(i.dst, 32)}, ${r(i.src, 32)}`;
      return `${i.signed ? 'movsx' : 'movzx'} ${r(i.dst, i.signed ? i.size : 32)}, ${r(i.src, i.from)}`;
    case 'lea':
      return `lea ${r(i.dst, i.size)}, ${formatMem(i.mem)}`;
    case 'alu_rr':
      return `${i.aop} ${r(i.dst, i.size)}, ${r(i.src, i.size)}`;
    case 'alu_ri':
      return `${i.aop} ${r(i.dst, i.size)}, ${hex(i.imm)}`;
    case 'alu_rm':
      return `${i.aop} ${r(i.dst, i.size)}, ${formatMem(i.mem, i.size)}`;
    case 'alu_mr':
      return `${i.aop} ${formatMem(i.mem, i.size)}, ${r(i.src, i.size)}`;
    case 'alu_mi':
      return `${i.aop} ${formatMem(i.mem, i.size)}, ${hex(i.imm)}`;
    case 'imul_rr':
      return `imul ${r(i.dst, i.size)}, ${r(i.src, i.size)}`;
    case 'imul_rri':
      return `imul ${r(i.dst, i.size)}, ${r(i.src, i.size)}, ${hex(i.imm)}`;
    case 'div':
      return `${i.signed ? 'idiv' : 'div'} ${r(i.divisor, i.size)}  ; ${r(i.quot, i.size)}:${r(i.rem, i.size)} <- ${r(i.hi, i.size)}:${r(i.lo, i.size)}`;
    case 'sign_ext_ax':
      return `${i.size === 64 ? 'cqo' : 'cdq'}  ; ${r(i.dst, i.size)} <- ${r(i.src, i.size)}`;
    case 'unary':
      return `${i.uop} ${r(i.dst, i.size)}`;
    case 'shift_rc':
      return `${i.sop} ${r(i.dst, i.size)}, cl  ; count ${r(i.count, 8)}`;
    case 'shift_ri':
      return `${i.sop} ${r(i.dst, i.size)}, ${hex(i.imm)}`;
    case 'bit':
      return `${i.bop} ${r(i.dst, i.size)}, ${r(i.src, i.size)}`;
    case 'setcc':
      return `set${COND_NAMES[i.cc]} ${r(i.dst, 8)}`;
    case 'cmov':
      return `cmov${COND_NAMES[i.cc]} ${r(i.dst, i.size)}, ${r(i.src, i.size)}`;
    case 'mov_to_xmm':
      return `${i.size === 64 ? 'movq' : 'movd'} ${r(i.dst)}, ${r(i.src, i.size)}`;
    case 'mov_from_xmm':
      return `${i.size === 64 ? 'movq' : 'movd'} ${r(i.dst, i.size)}, ${r(i.src)}`;
    case 'xmov':
      return `${i.xop} ${r(i.dst)}, ${r(i.src)}`;
    case 'xload':
      return `${i.xop} ${r(i.dst)}, ${formatMem(i.mem, XMOVE_BITS[i.xop])}`;
    case 'xstore':
      return `${i.xop} ${formatMem(i.mem, XMOVE_BITS[i.xop])}, ${r(i.src)}`;
    case 'sse':
      return `${i.sop} ${r(i.dst)}, ${isMemOperand(i.src) ? formatMem(i.src, sseMemBits(i.sop)) : r(i.src)}`;
    case 'xzero':
      return `xorps ${r(i.dst)}, ${r(i.dst)}`;
    case 'round': {
      const bits = i.ty === 'f32' ? 32 : 64;
      return `round${i.ty === 'f32' ? 'ss' : 'sd'} ${r(i.dst)}, ${isMemOperand(i.src) ? formatMem(i.src, bits) : r(i.src)}, ${i.mode}`;
    }
    case 'cvt_i2f':
      return `cvtsi2${i.ty === 'f32' ? 'ss' : 'sd'} ${r(i.dst)}, ${r(i.src, i.size)}`;
    case 'cvt_f2i':
      return `cvtt${i.ty === 'f32' ? 'ss' : 'sd'}2si ${r(i.dst, i.size)}, ${r(i.src)}`;
    case 'jmp':
      return `jmp .b${i.target}`;
    case 'jcc':
      return `j${COND_NAMES[i.cc]} .b${i.taken}; jmp .b${i.notTaken}`;
    case 'jmp_table':
      return `jmp_table ${r(i.index, 32)} [${i.targets.map((t) => `.b${t}`).join(', ')}]${i.dflt === undefined ? '' : ` else .b${i.dflt}`}  ; tmp ${r(i.tmp)}`;
    case 'jmp_r':
      return `jmp ${r(i.target)}`;
    case 'trap_if':
      return `trap_if ${COND_NAMES[i.cc]}, ${i.code}`;
    case 'call': {
      const t = i.callee.kind === 'sym' ? i.callee.symbol : i.callee.kind === 'reg' ? r(i.callee.reg) : formatMem(i.callee.mem, 64);
      const fx = (l: FixedReg[]): string => l.map((f) => `${r(f.reg)}=${r(f.preg)}`).join(', ');
      return `call ${t}${i.args.length ? `  ; args ${fx(i.args)}` : ''}${i.rets.length ? `  ; rets ${fx(i.rets)}` : ''}`;
    }
    case 'ret':
      return `ret${i.rets.length ? `  ; ${i.rets.map((f) => `${r(f.reg)}=${r(f.preg)}`).join(', ')}` : ''}`;
    case 'push':
      return `push ${r(i.src)}`;
    case 'pop':
      return `pop ${r(i.dst)}`;
    case 'sp_adjust':
      return i.delta < 0 ? `sub rsp, ${hex(-i.delta)}` : `add rsp, ${hex(i.delta)}`;
    case 'ud2':
      return i.code === undefined ? 'ud2' : `ud2  ; trap ${i.code}`;
    case 'int3':
      return 'int3';
    case 'nop':
      return (i.len ?? 1) === 1 ? 'nop' : `nop ${i.len}`;
  }
}
