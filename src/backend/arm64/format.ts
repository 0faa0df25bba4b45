/**
 * GNU-syntax text of an A64Inst, as `aarch64-linux-gnu-objdump` prints the encoded word:
 * same preferred aliases (mov, cmp, tst, lsl, ubfx, cset, cinc, …), same immediate
 * radix, GNU condition names (cs/cc for hs/lo). The encoder tests hold every
 * non-branch instruction's text to objdump's, so listings read like a disassembly.
 * Branch targets print as `.Lb<block>` / `.L<label>`; pseudo-instructions print their
 * expansion where it is fixed and a `// pseudo` line otherwise.
 */

import type { A64Inst, Amode, BranchTest, Cond, Size } from './inst.js';
import { bitfieldFields, decodeFpImm8, encodeFpImm8, planConstant, type BitfieldFields } from './imm.js';
import { fprName, gprName, SP, vecName, XZR } from './regs.js';

const GNU_COND: Record<Cond, string> = {
  eq: 'eq', ne: 'ne', hs: 'cs', lo: 'cc', mi: 'mi', pl: 'pl', vs: 'vs', vc: 'vc',
  hi: 'hi', ls: 'ls', ge: 'ge', lt: 'lt', gt: 'gt', le: 'le', al: 'al', nv: 'nv',
};
const COND_ORDER: Cond[] = ['eq', 'ne', 'hs', 'lo', 'mi', 'pl', 'vs', 'vc', 'hi', 'ls', 'ge', 'lt', 'gt', 'le', 'al', 'nv'];
const inv = (c: Cond): Cond => COND_ORDER[COND_ORDER.indexOf(c) ^ 1]!;

const hex = (v: number | bigint): string => `#0x${v.toString(16)}`;
const x = gprName;

/** GNU prints FMOV immediates with %.18e. */
function fpText(v: number): string {
  const [m, e] = v.toExponential(18).split('e') as [string, string];
  const sign = e.startsWith('-') ? '-' : '+';
  const digits = e.replace(/^[-+]/, '').padStart(2, '0');
  return `#${m}e${sign}${digits}`;
}

const ARR: Record<number, string> = { 8: '16b', 16: '8h', 32: '4s', 64: '2d' };
const ELT: Record<number, string> = { 8: 'b', 16: 'h', 32: 's', 64: 'd' };

function amodeText(am: Amode, bits: number): string {
  switch (am.k) {
    case 'imm':
      return am.off === 0 ? `[${x(am.base, 64)}]` : `[${x(am.base, 64)}, #${am.off}]`;
    case 'pre':
      return `[${x(am.base, 64)}, #${am.off}]!`;
    case 'post':
      return `[${x(am.base, 64)}], #${am.off}`;
    case 'slot':
      return `[sp, <slot ${am.slot}${am.off ? ` + ${am.off}` : ''}>]`;
    case 'reg': {
      const shift = am.scaled ? Math.log2(bits / 8) : 0;
      const idx = x(am.index, am.ext === 'uxtw' || am.ext === 'sxtw' ? 32 : 64);
      // GNU prints the amount when the S bit is set, even `#0` for byte accesses.
      const amt = am.scaled ? ` #${shift}` : '';
      if (am.ext === 'lsl') return am.scaled ? `[${x(am.base, 64)}, ${idx}, lsl #${shift}]` : `[${x(am.base, 64)}, ${idx}]`;
      return `[${x(am.base, 64)}, ${idx}, ${am.ext}${amt}]`;
    }
  }
}

/** Whether the unscaled (ldur) form is what the encoder picks for an `imm` operand. */
export function usesUnscaled(am: Amode, bits: number): boolean {
  if (am.k !== 'imm') return false;
  const sz = bits / 8;
  return !(am.off >= 0 && am.off % sz === 0 && am.off / sz < 4096) && am.off >= -256 && am.off < 256;
}

function memMnemonic(base: string, am: Amode, bits: number): string {
  return usesUnscaled(am, bits) ? base.replace(/^(ld|st)r/, '$1ur') : base;
}

function testText(t: BranchTest, target: string): string {
  switch (t.k) {
    case 'cond':
      return `b.${GNU_COND[t.cond]} ${target}`;
    case 'zero':
      return `${t.nz ? 'cbnz' : 'cbz'} ${x(t.rt, t.size)}, ${target}`;
    case 'bit':
      return `${t.nz ? 'tbnz' : 'tbz'} ${x(t.rt, t.bit >= 32 ? 64 : 32)}, #${t.bit}, ${target}`;
  }
}

/**
 * Whether one movz/movn makes `imm`: then ORR-immediate from zr prints as `orr`, not as the
 * `mov` alias (the Arm ARM's MoveWidePreferred, decided on the value as binutils does).
 */
function moveWidePreferred(size: Size, imm: bigint): boolean {
  const mask = size === 64 ? (1n << 64n) - 1n : 0xffffffffn;
  for (let sh = 0n; sh < BigInt(size); sh += 16n) {
    const field = 0xffffn << sh;
    if ((imm & ~field & mask) === 0n) return true; // movz
    if ((~imm & ~field & mask) === 0n) return true; // movn
  }
  return false;
}

/** The alias objdump chooses for an SBFM/BFM/UBFM encoding. */
function bitfieldText(f: BitfieldFields, size: Size, rd: number, rn: number): string {
  const n = size;
  const d = x(rd, size);
  const s = x(rn, size);
  const { opc, immr, imms } = f;
  const bfxPreferred =
    !(imms < immr) &&
    imms !== n - 1 &&
    !(immr === 0 && size === 32 && (imms === 7 || imms === 15)) &&
    !(immr === 0 && size === 64 && opc === 'sbfm' && (imms === 7 || imms === 15 || imms === 31));
  if (opc === 'ubfm') {
    if (imms === n - 1) return `lsr ${d}, ${s}, #${immr}`;
    if (imms + 1 === immr) return `lsl ${d}, ${s}, #${n - 1 - imms}`;
    if (imms < immr) return `ubfiz ${d}, ${s}, #${n - immr}, #${imms + 1}`;
    if (bfxPreferred) return `ubfx ${d}, ${s}, #${immr}, #${imms - immr + 1}`;
    return `${imms === 7 ? 'uxtb' : 'uxth'} ${d}, ${x(rn, 32)}`;
  }
  if (opc === 'sbfm') {
    if (imms === n - 1) return `asr ${d}, ${s}, #${immr}`;
    if (imms < immr) return `sbfiz ${d}, ${s}, #${n - immr}, #${imms + 1}`;
    if (bfxPreferred) return `sbfx ${d}, ${s}, #${immr}, #${imms - immr + 1}`;
    return `${imms === 7 ? 'sxtb' : imms === 15 ? 'sxth' : 'sxtw'} ${d}, ${x(rn, 32)}`;
  }
  if (imms < immr) return rn === XZR ? `bfc ${d}, #${n - immr}, #${imms + 1}` : `bfi ${d}, ${s}, #${n - immr}, #${imms + 1}`;
  return `bfxil ${d}, ${s}, #${immr}, #${imms - immr + 1}`;
}

export function formatInst(i: A64Inst): string {
  switch (i.op) {
    case 'mov':
      return `mov ${x(i.rd, i.size)}, ${x(i.rm, i.size)}`;
    case 'movw': {
      const r = x(i.rd, i.size);
      if (i.fn === 'movk') return `movk ${r}, ${hex(i.imm16)}${i.shift ? `, lsl #${i.shift}` : ''}`;
      const mask = i.size === 64 ? (1n << 64n) - 1n : 0xffffffffn;
      const val = BigInt(i.imm16) << BigInt(i.shift);
      const alias =
        !(i.imm16 === 0 && i.shift !== 0) && !(i.fn === 'movn' && i.size === 32 && i.imm16 === 0xffff);
      if (!alias) return `${i.fn} ${r}, ${hex(i.imm16)}${i.shift ? `, lsl #${i.shift}` : ''}`;
      return `mov ${r}, ${hex(i.fn === 'movz' ? val : ~val & mask)}`;
    }
    case 'movconst':
      return planConstant(i.size, i.imm)
        .map((s) =>
          formatInst(s.k === 'orr' ? { op: 'logi', fn: 'orr', size: i.size, rd: i.rd, rn: XZR, imm: s.imm } : { op: 'movw', fn: s.k, size: i.size, rd: i.rd, imm16: s.imm16, shift: s.shift }),
        )
        .join('; ');
    case 'alu': {
      const sh = i.shift ?? 'lsl';
      const amt = i.amount ?? 0;
      const tail = sh === 'lsl' && amt === 0 ? '' : `, ${sh} #${amt}`;
      const [d, n, m] = [x(i.rd, i.size), x(i.rn, i.size), x(i.rm, i.size)];
      if ((i.fn === 'subs' || i.fn === 'adds' || i.fn === 'ands') && i.rd === XZR)
        return `${i.fn === 'subs' ? 'cmp' : i.fn === 'adds' ? 'cmn' : 'tst'} ${n}, ${m}${tail}`;
      if ((i.fn === 'sub' || i.fn === 'subs') && i.rn === XZR) return `${i.fn === 'sub' ? 'neg' : 'negs'} ${d}, ${m}${tail}`;
      if (i.fn === 'orr' && i.rn === XZR && tail === '') return `mov ${d}, ${m}`;
      if (i.fn === 'orn' && i.rn === XZR) return `mvn ${d}, ${m}${tail}`;
      return `${i.fn} ${d}, ${n}, ${m}${tail}`;
    }
    case 'alui': {
      const [d, n] = [x(i.rd, i.size), x(i.rn, i.size)];
      const tail = i.lsl12 ? ', lsl #12' : '';
      if (i.fn === 'add' && i.imm12 === 0 && !i.lsl12 && (i.rd === SP || i.rn === SP)) return `mov ${d}, ${n}`;
      if ((i.fn === 'subs' || i.fn === 'adds') && i.rd === XZR) return `${i.fn === 'subs' ? 'cmp' : 'cmn'} ${n}, ${hex(i.imm12)}${tail}`;
      return `${i.fn} ${d}, ${n}, ${hex(i.imm12)}${tail}`;
    }
    case 'alux': {
      const amt = i.amount ?? 0;
      const wide = i.ext === 'uxtx' || i.ext === 'sxtx';
      const m = x(i.rm, i.size === 64 && wide ? 64 : 32);
      const lslAlias = (i.rd === SP || i.rn === SP) && i.ext === (i.size === 64 ? 'uxtx' : 'uxtw');
      const tail = lslAlias ? (amt ? `, lsl #${amt}` : '') : `, ${i.ext}${amt ? ` #${amt}` : ''}`;
      const n = x(i.rn, i.size);
      if ((i.fn === 'subs' || i.fn === 'adds') && i.rd === XZR) return `${i.fn === 'subs' ? 'cmp' : 'cmn'} ${n}, ${m}${tail}`;
      return `${i.fn} ${x(i.rd, i.size)}, ${n}, ${m}${tail}`;
    }
    case 'logi': {
      const v = BigInt.asUintN(i.size, i.imm);
      if (i.fn === 'ands' && i.rd === XZR) return `tst ${x(i.rn, i.size)}, ${hex(v)}`;
      if (i.fn === 'orr' && i.rn === XZR && !moveWidePreferred(i.size, v)) return `mov ${x(i.rd, i.size)}, ${hex(v)}`;
      return `${i.fn} ${x(i.rd, i.size)}, ${x(i.rn, i.size)}, ${hex(v)}`;
    }
    case 'dp2':
    case 'dp1': {
      const ops = [x(i.rd, i.size), x(i.rn, i.size)];
      if (i.op === 'dp2') ops.push(x(i.rm, i.size));
      return `${i.fn} ${ops.join(', ')}`;
    }
    case 'shifti':
      if (i.fn === 'ror') return `ror ${x(i.rd, i.size)}, ${x(i.rn, i.size)}, #${i.amount}`;
      return bitfieldText(bitfieldFields(i.fn, i.size, i.amount), i.size, i.rd, i.rn);
    case 'bitfield':
      return bitfieldText(bitfieldFields(i.fn, i.size, i.lsb, i.width), i.size, i.rd, i.rn);
    case 'extend':
      return bitfieldText(bitfieldFields(i.fn, i.size), i.size, i.rd, i.rn);
    case 'madd': {
      const ops = `${x(i.rd, i.size)}, ${x(i.rn, i.size)}, ${x(i.rm, i.size)}`;
      if (i.ra === XZR) return `${i.fn === 'madd' ? 'mul' : 'mneg'} ${ops}`;
      return `${i.fn} ${ops}, ${x(i.ra, i.size)}`;
    }
    case 'csel': {
      const [d, n, m] = [x(i.rd, i.size), x(i.rn, i.size), x(i.rm, i.size)];
      const invertible = i.cond !== 'al' && i.cond !== 'nv';
      if (i.fn !== 'csel' && invertible && i.rn === i.rm) {
        const c = GNU_COND[inv(i.cond)];
        if (i.rn === XZR && i.fn === 'csinc') return `cset ${d}, ${c}`;
        if (i.rn === XZR && i.fn === 'csinv') return `csetm ${d}, ${c}`;
        const alias = i.fn === 'csinc' ? 'cinc' : i.fn === 'csinv' ? 'cinv' : 'cneg';
        return `${alias} ${d}, ${n}, ${c}`;
      }
      return `${i.fn} ${d}, ${n}, ${m}, ${GNU_COND[i.cond]}`;
    }
    case 'ccmp': {
      const second = i.rm !== undefined ? x(i.rm, i.size) : hex(i.imm ?? 0);
      return `${i.fn} ${x(i.rn, i.size)}, ${second}, ${hex(i.nzcv)}, ${GNU_COND[i.cond]}`;
    }
    case 'ldr': {
      const suffix = i.bits === 8 ? 'b' : i.bits === 16 ? 'h' : i.sx && i.bits === 32 ? 'w' : '';
      const base = `ldr${i.sx ? 's' : ''}${suffix}`;
      const size: Size = i.sx ?? (i.bits === 64 ? 64 : 32);
      return `${memMnemonic(base, i.am, i.bits)} ${x(i.rt, size)}, ${amodeText(i.am, i.bits)}`;
    }
    case 'str': {
      const base = i.bits === 8 ? 'strb' : i.bits === 16 ? 'strh' : 'str';
      return `${memMnemonic(base, i.am, i.bits)} ${x(i.rt, i.bits === 64 ? 64 : 32)}, ${amodeText(i.am, i.bits)}`;
    }
    case 'fldr':
    case 'fstr':
      return `${memMnemonic(i.op === 'fldr' ? 'ldr' : 'str', i.am, i.bits)} ${fprName(i.rt, i.bits)}, ${amodeText(i.am, i.bits)}`;
    case 'ldp':
    case 'stp': {
      const name = (r: number): string => (i.fp ? fprName(r, i.bits) : x(r, i.bits === 64 ? 64 : 32));
      return `${i.op} ${name(i.rt)}, ${name(i.rt2)}, ${amodeText(i.am, i.bits)}`;
    }
    case 'fmov':
      return `fmov ${fprName(i.rd, i.size)}, ${fprName(i.rn, i.size)}`;
    case 'fmov_from_gpr':
      return `fmov ${fprName(i.rd, i.size)}, ${x(i.rn, i.size)}`;
    case 'fmov_to_gpr':
      return `fmov ${x(i.rd, i.size)}, ${fprName(i.rn, i.size)}`;
    case 'fmovi':
      return `fmov ${fprName(i.rd, i.size)}, ${fpText(i.imm)}`;
    case 'fconst': {
      const v = i.size === 32 ? new Float32Array(new Uint32Array([Number(i.bits)]).buffer)[0]! : new Float64Array(new BigUint64Array([i.bits]).buffer)[0]!;
      const imm8 = encodeFpImm8(v);
      if (imm8 !== undefined) return `fmov ${fprName(i.rd, i.size)}, ${fpText(decodeFpImm8(imm8))}`;
      if (BigInt.asUintN(i.size, i.bits) === 0n) return `fmov ${fprName(i.rd, i.size)}, ${x(XZR, i.size)}`;
      return `${formatInst({ op: 'movconst', size: i.size, rd: 16, imm: i.bits })}; fmov ${fprName(i.rd, i.size)}, ${x(16, i.size)}`;
    }
    case 'fp2':
      return `${i.fn} ${fprName(i.rd, i.size)}, ${fprName(i.rn, i.size)}, ${fprName(i.rm, i.size)}`;
    case 'fp1':
      return `${i.fn} ${fprName(i.rd, i.size)}, ${fprName(i.rn, i.size)}`;
    case 'fcvt':
      return `fcvt ${fprName(i.rd, i.to)}, ${fprName(i.rn, i.from)}`;
    case 'i2f':
      return `${i.signed ? 'scvtf' : 'ucvtf'} ${fprName(i.rd, i.fsize)}, ${x(i.rn, i.isize)}`;
    case 'f2i':
      return `${i.signed ? 'fcvtzs' : 'fcvtzu'} ${x(i.rd, i.isize)}, ${fprName(i.rn, i.fsize)}`;
    case 'fcmp':
      return `fcmp ${fprName(i.rn, i.size)}, ${i.rm === undefined ? '#0.0' : fprName(i.rm, i.size)}`;
    case 'fcsel':
      return `fcsel ${fprName(i.rd, i.size)}, ${fprName(i.rn, i.size)}, ${fprName(i.rm, i.size)}, ${GNU_COND[i.cond]}`;
    case 'vmov':
      return `mov ${vecName(i.rd, '16b')}, ${vecName(i.rn, '16b')}`;
    case 'vzero':
      return `movi ${vecName(i.rd, '2d')}, #0x0`;
    case 'vlogic':
      return `${i.fn} ${vecName(i.rd, '16b')}, ${vecName(i.rn, '16b')}, ${vecName(i.rm, '16b')}`;
    case 'varith':
      return `${i.fn} ${vecName(i.rd, ARR[i.esize]!)}, ${vecName(i.rn, ARR[i.esize]!)}, ${vecName(i.rm, ARR[i.esize]!)}`;
    case 'dup': {
      const src = i.lane === undefined ? x(i.rn, i.esize === 64 ? 64 : 32) : `${vecName(i.rn, ELT[i.esize]!)}[${i.lane}]`;
      return `dup ${vecName(i.rd, ARR[i.esize]!)}, ${src}`;
    }
    case 'ins': {
      const src = i.srcLane === undefined ? x(i.rn, i.esize === 64 ? 64 : 32) : `${vecName(i.rn, ELT[i.esize]!)}[${i.srcLane}]`;
      return `mov ${vecName(i.rd, ELT[i.esize]!)}[${i.lane}], ${src}`;
    }
    case 'umov':
    case 'smov': {
      const mn = i.op === 'umov' && i.esize >= 32 ? 'mov' : i.op;
      return `${mn} ${x(i.rd, i.size)}, ${vecName(i.rn, ELT[i.esize]!)}[${i.lane}]`;
    }
    case 'cnt':
      return `cnt ${vecName(i.rd, '8b')}, ${vecName(i.rn, '8b')}`;
    case 'addv':
      return `addv ${fprName(i.rd, 8)}, ${vecName(i.rn, '8b')}`;
    case 'jump':
      return `b .Lb${i.target}`;
    case 'brif':
      return `${testText(i.test, `.Lb${i.taken}`)}; b .Lb${i.notTaken}`;
    case 'jumptable':
      return `jumptable ${x(i.idx, 32)}, [${i.targets.map((t) => `.Lb${t}`).join(', ')}], default .Lb${i.dflt} // pseudo`;
    case 'b':
      return `b .L${i.label}`;
    case 'bif':
      return testText(i.test, `.L${i.label}`);
    case 'bl':
      return `bl ${i.sym}${i.addend ? `+${i.addend}` : ''}`;
    case 'blr':
      return `blr ${x(i.rn, 64)}`;
    case 'br':
      return `br ${x(i.rn, 64)}`;
    case 'ret':
      return 'ret';
    case 'adr':
      return `adr ${x(i.rd, 64)}, .L${i.label}`;
    case 'adrp':
      return `adrp ${x(i.rd, 64)}, ${i.sym}${i.addend ? `+${i.addend}` : ''}`;
    case 'addlo12':
      return `add ${x(i.rd, 64)}, ${x(i.rn, 64)}, :lo12:${i.sym}${i.addend ? `+${i.addend}` : ''}`;
    case 'udf':
      return `udf #${i.imm}`;
    case 'brk':
      return `brk ${hex(i.imm)}`;
    case 'nop':
      return 'nop';
  }
}
