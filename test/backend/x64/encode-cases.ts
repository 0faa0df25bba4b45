/**
 * The x86-64 encoder's reference table: (instruction, expected bytes, expected GNU objdump
 * Intel-syntax text). Two independent references keep the table honest, both re-checked by
 * encode.test.ts: the bytes are what llvm-mc-14 assembles from the text (except rows
 * llvm-mc cannot express: branches to `.+N`, multi-byte nops, elided jumps), and the text
 * is what `objdump -M intel` prints for the bytes, with runs of spaces collapsed and
 * `# …` comments dropped.
 *
 * Conventions of the harness (encode.test.ts): every case is encoded into its own buffer
 * whose block labels 0..3 (which are also CodeBuffer labels 0..3) are bound at the
 * case's first byte; spill slot i is at [rsp + 0x20 + 16*i]. A branch target prints as
 * `.+N`, N bytes after the case's first byte. Several instructions join with ` ; `.
 */

import type { X64Inst, Mem, AluOp, ShiftOp, BitOp, SseOp, XMoveOp, Size, Width, Cond, FloatTy, RoundMode } from '../../../src/backend/x64/inst.js';
import { mem, memIdx, ripLabel, ripSym, slotMem, Cond as CC } from '../../../src/backend/x64/inst.js';
import {
  RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI, R8, R9, R10, R11, R12, R13, R14, R15,
  XMM0, XMM1, XMM2, XMM3, XMM7, XMM8, XMM9, XMM12, XMM13, XMM14, XMM15,
} from '../../../src/backend/x64/regs.js';

export interface EncodeCase {
  inst: X64Inst;
  hex: string;
  text: string;
  /** The block laid out next (for jmp/jcc fall-through elision). */
  next?: number;
}

export const CASES: EncodeCase[] = [];

function c(inst: X64Inst, hex: string, text: string, next?: number): void {
  CASES.push(next === undefined ? { inst, hex, text } : { inst, hex, text, next });
}

// short builders
const movrr = (size: Size, dst: number, src: number): X64Inst => ({ op: 'mov_rr', size, dst, src });
const movri = (size: Size, dst: number, imm: bigint): X64Inst => ({ op: 'mov_ri', size, dst, imm });
const ld = (width: Width, ext: 'zx' | 'sx', size: Size, dst: number, m: Mem): X64Inst => ({ op: 'load', width, ext, size, dst, mem: m });
const ld64 = (dst: number, m: Mem): X64Inst => ld(64, 'zx', 64, dst, m);
const st = (width: Width, src: number, m: Mem): X64Inst => ({ op: 'store', width, src, mem: m });
const sti = (width: Width, imm: number, m: Mem): X64Inst => ({ op: 'store_imm', width, imm, mem: m });
const ext = (from: 8 | 16 | 32, signed: boolean, size: Size, dst: number, src: number): X64Inst => ({ op: 'ext_rr', from, signed, size, dst, src });
const lea = (size: Size, dst: number, m: Mem): X64Inst => ({ op: 'lea', size, dst, mem: m });
const rr = (aop: AluOp, size: Size, dst: number, src: number): X64Inst => ({ op: 'alu_rr', aop, size, dst, src });
const ri = (aop: AluOp, size: Size, dst: number, imm: number): X64Inst => ({ op: 'alu_ri', aop, size, dst, imm });
const rm = (aop: AluOp, size: Size, dst: number, m: Mem): X64Inst => ({ op: 'alu_rm', aop, size, dst, mem: m });
const mr = (aop: AluOp, size: Size, m: Mem, src: number): X64Inst => ({ op: 'alu_mr', aop, size, mem: m, src });
const mi = (aop: AluOp, size: Size, m: Mem, imm: number): X64Inst => ({ op: 'alu_mi', aop, size, mem: m, imm });
const shc = (sop: ShiftOp, size: Size, dst: number): X64Inst => ({ op: 'shift_rc', sop, size, dst, count: RCX });
const shi = (sop: ShiftOp, size: Size, dst: number, imm: number): X64Inst => ({ op: 'shift_ri', sop, size, dst, imm });
const bit = (bop: BitOp, size: Size, dst: number, src: number): X64Inst => ({ op: 'bit', bop, size, dst, src });
const setcc = (cc: Cond, dst: number): X64Inst => ({ op: 'setcc', cc, dst });
const cmov = (cc: Cond, size: Size, dst: number, src: number): X64Inst => ({ op: 'cmov', cc, size, dst, src });
const div = (signed: boolean, size: Size, divisor: number): X64Inst => ({ op: 'div', signed, size, divisor, lo: RAX, hi: RDX, quot: RAX, rem: RDX });
const xmov = (xop: XMoveOp, dst: number, src: number): X64Inst => ({ op: 'xmov', xop, dst, src });
const xld = (xop: XMoveOp, dst: number, m: Mem): X64Inst => ({ op: 'xload', xop, dst, mem: m });
const xst = (xop: XMoveOp, src: number, m: Mem): X64Inst => ({ op: 'xstore', xop, src, mem: m });
const sse = (sop: SseOp, dst: number, src: number | Mem): X64Inst => ({ op: 'sse', sop, dst, src });
const round = (ty: FloatTy, mode: RoundMode, dst: number, src: number | Mem): X64Inst => ({ op: 'round', ty, mode, dst, src });
const i2f = (ty: FloatTy, size: Size, dst: number, src: number): X64Inst => ({ op: 'cvt_i2f', ty, size, dst, src });
const f2i = (ty: FloatTy, size: Size, dst: number, src: number): X64Inst => ({ op: 'cvt_f2i', ty, size, dst, src });
const m = mem;
const mx = memIdx;

// ── mov r, r
c(movrr(64, RAX, RCX), '48 89 c8', 'mov rax,rcx');
c(movrr(64, R8, RAX), '49 89 c0', 'mov r8,rax');
c(movrr(64, RAX, R15), '4c 89 f8', 'mov rax,r15');
c(movrr(64, R12, R13), '4d 89 ec', 'mov r12,r13');
c(movrr(64, RSP, RBP), '48 89 ec', 'mov rsp,rbp');
c(movrr(64, RBP, RSP), '48 89 e5', 'mov rbp,rsp');
c(movrr(32, RAX, RCX), '89 c8', 'mov eax,ecx');
c(movrr(32, R9, R10), '45 89 d1', 'mov r9d,r10d');
c(movrr(32, RSI, RDI), '89 fe', 'mov esi,edi');
c(movrr(32, R15, RAX), '41 89 c7', 'mov r15d,eax');

// ── mov r, imm
c(movri(32, RAX, 0n), 'b8 00 00 00 00', 'mov eax,0x0');
c(movri(32, RAX, -1n), 'b8 ff ff ff ff', 'mov eax,0xffffffff');
c(movri(32, R8, 5n), '41 b8 05 00 00 00', 'mov r8d,0x5');
c(movri(32, RDI, 0x12345678n), 'bf 78 56 34 12', 'mov edi,0x12345678');
c(movri(64, RAX, 5n), 'b8 05 00 00 00', 'mov eax,0x5');
c(movri(64, R12, 0xffffffffn), '41 bc ff ff ff ff', 'mov r12d,0xffffffff');
c(movri(64, RAX, -1n), '48 c7 c0 ff ff ff ff', 'mov rax,0xffffffffffffffff');
c(movri(64, R15, -0x80000000n), '49 c7 c7 00 00 00 80', 'mov r15,0xffffffff80000000');
c(movri(64, RCX, 0x100000000n), '48 b9 00 00 00 00 01 00 00 00', 'movabs rcx,0x100000000');
c(movri(64, R9, 0x123456789abcdef0n), '49 b9 f0 de bc 9a 78 56 34 12', 'movabs r9,0x123456789abcdef0');
c(movri(64, RDX, -0x80000001n), '48 ba ff ff ff 7f ff ff ff ff', 'movabs rdx,0xffffffff7fffffff');
c(movri(64, RSP, 0x8000000000000000n), '48 bc 00 00 00 00 00 00 00 80', 'movabs rsp,0x8000000000000000');

c({ op: 'gzero', dst: RAX }, '31 c0', 'xor eax,eax');
c({ op: 'gzero', dst: R13 }, '45 31 ed', 'xor r13d,r13d');

// ── 64-bit loads: every addressing-mode corner
c(ld64(RAX, m(RAX)), '48 8b 00', 'mov rax,QWORD PTR [rax]');
c(ld64(RAX, m(RCX, 8)), '48 8b 41 08', 'mov rax,QWORD PTR [rcx+0x8]');
c(ld64(RDX, m(RSP)), '48 8b 14 24', 'mov rdx,QWORD PTR [rsp]');
c(ld64(RDX, m(RSP, 8)), '48 8b 54 24 08', 'mov rdx,QWORD PTR [rsp+0x8]');
c(ld64(RBX, m(R12)), '49 8b 1c 24', 'mov rbx,QWORD PTR [r12]');
c(ld64(RBX, m(R12, 0x10)), '49 8b 5c 24 10', 'mov rbx,QWORD PTR [r12+0x10]');
c(ld64(RSI, m(RBP)), '48 8b 75 00', 'mov rsi,QWORD PTR [rbp+0x0]');
c(ld64(RSI, m(R13)), '49 8b 75 00', 'mov rsi,QWORD PTR [r13+0x0]');
c(ld64(RDI, m(RBP, -8)), '48 8b 7d f8', 'mov rdi,QWORD PTR [rbp-0x8]');
c(ld64(R8, m(R13, 0x100)), '4d 8b 85 00 01 00 00', 'mov r8,QWORD PTR [r13+0x100]');
c(ld64(R9, m(RAX, 127)), '4c 8b 48 7f', 'mov r9,QWORD PTR [rax+0x7f]');
c(ld64(R9, m(RAX, 128)), '4c 8b 88 80 00 00 00', 'mov r9,QWORD PTR [rax+0x80]');
c(ld64(R10, m(RAX, -128)), '4c 8b 50 80', 'mov r10,QWORD PTR [rax-0x80]');
c(ld64(R10, m(RAX, -129)), '4c 8b 90 7f ff ff ff', 'mov r10,QWORD PTR [rax-0x81]');
c(ld64(R11, m(RSP, -0x80000000)), '4c 8b 9c 24 00 00 00 80', 'mov r11,QWORD PTR [rsp-0x80000000]');
c(ld64(R11, m(R12, 0x7fffffff)), '4d 8b 9c 24 ff ff ff 7f', 'mov r11,QWORD PTR [r12+0x7fffffff]');
c(ld64(RAX, mx(RAX, RCX, 1)), '48 8b 04 08', 'mov rax,QWORD PTR [rax+rcx*1]');
c(ld64(RAX, mx(RAX, RCX, 2, 4)), '48 8b 44 48 04', 'mov rax,QWORD PTR [rax+rcx*2+0x4]');
c(ld64(RCX, mx(RBX, RSI, 4, -0x80)), '48 8b 4c b3 80', 'mov rcx,QWORD PTR [rbx+rsi*4-0x80]');
c(ld64(RCX, mx(RDX, RDI, 8, 0x7f)), '48 8b 4c fa 7f', 'mov rcx,QWORD PTR [rdx+rdi*8+0x7f]');
c(ld64(R12, mx(RSP, R12, 8)), '4e 8b 24 e4', 'mov r12,QWORD PTR [rsp+r12*8]');
c(ld64(R13, mx(R12, R12, 1)), '4f 8b 2c 24', 'mov r13,QWORD PTR [r12+r12*1]');
c(ld64(R14, mx(RBP, RAX, 4)), '4c 8b 74 85 00', 'mov r14,QWORD PTR [rbp+rax*4+0x0]');
c(ld64(R15, mx(R13, R14, 2)), '4f 8b 7c 75 00', 'mov r15,QWORD PTR [r13+r14*2+0x0]');
c(ld64(RAX, mx(R8, R9, 8, 0x12345678)), '4b 8b 84 c8 78 56 34 12', 'mov rax,QWORD PTR [r8+r9*8+0x12345678]');
c(ld64(RAX, mx(R15, R15, 4, -0x80000000)), '4b 8b 84 bf 00 00 00 80', 'mov rax,QWORD PTR [r15+r15*4-0x80000000]');
c(ld64(RBP, mx(RAX, RBP, 1)), '48 8b 2c 28', 'mov rbp,QWORD PTR [rax+rbp*1]');
c(ld64(RSP, mx(RCX, R13, 2, 1)), '4a 8b 64 69 01', 'mov rsp,QWORD PTR [rcx+r13*2+0x1]');
c(ld64(RAX, mx(RSP, RAX, 1, 0x100)), '48 8b 84 04 00 01 00 00', 'mov rax,QWORD PTR [rsp+rax*1+0x100]');
c(ld64(RAX, mx(R12, R8, 8, -1)), '4b 8b 44 c4 ff', 'mov rax,QWORD PTR [r12+r8*8-0x1]');
c(ld64(RDX, slotMem(0)), '48 8b 54 24 20', 'mov rdx,QWORD PTR [rsp+0x20]');
c(ld64(R9, slotMem(7)), '4c 8b 8c 24 90 00 00 00', 'mov r9,QWORD PTR [rsp+0x90]');
c(ld64(R9, slotMem(1, 8)), '4c 8b 4c 24 38', 'mov r9,QWORD PTR [rsp+0x38]');

// ── narrower loads and extensions
c(ld(32, 'zx', 32, RAX, m(RBX)), '8b 03', 'mov eax,DWORD PTR [rbx]');
c(ld(32, 'zx', 64, R11, m(RBX, 4)), '44 8b 5b 04', 'mov r11d,DWORD PTR [rbx+0x4]');
c(ld(32, 'sx', 32, RCX, m(RDI)), '8b 0f', 'mov ecx,DWORD PTR [rdi]');
c(ld(32, 'sx', 64, RAX, m(RDI)), '48 63 07', 'movsxd rax,DWORD PTR [rdi]');
c(ld(32, 'sx', 64, R15, m(R15, -4)), '4d 63 7f fc', 'movsxd r15,DWORD PTR [r15-0x4]');
c(ld(32, 'sx', 64, RAX, mx(RAX, RCX, 4)), '48 63 04 88', 'movsxd rax,DWORD PTR [rax+rcx*4]');
c(ld(16, 'zx', 32, RAX, m(RAX)), '0f b7 00', 'movzx eax,WORD PTR [rax]');
c(ld(16, 'zx', 64, R8, m(RSI, 2)), '44 0f b7 46 02', 'movzx r8d,WORD PTR [rsi+0x2]');
c(ld(16, 'sx', 32, RCX, m(R9)), '41 0f bf 09', 'movsx ecx,WORD PTR [r9]');
c(ld(16, 'sx', 64, R10, mx(RBP, R10, 2, 6)), '4e 0f bf 54 55 06', 'movsx r10,WORD PTR [rbp+r10*2+0x6]');
c(ld(8, 'zx', 32, RAX, m(RBP)), '0f b6 45 00', 'movzx eax,BYTE PTR [rbp+0x0]');
c(ld(8, 'zx', 64, RDX, m(R12, 1)), '41 0f b6 54 24 01', 'movzx edx,BYTE PTR [r12+0x1]');
c(ld(8, 'sx', 32, RSI, m(RAX)), '0f be 30', 'movsx esi,BYTE PTR [rax]');
c(ld(8, 'sx', 64, RDI, mx(R8, R11, 1, 0x20)), '4b 0f be 7c 18 20', 'movsx rdi,BYTE PTR [r8+r11*1+0x20]');
c(ld(8, 'zx', 32, R14, mx(RSP, RCX, 1)), '44 0f b6 34 0c', 'movzx r14d,BYTE PTR [rsp+rcx*1]');

// ── stores
c(st(64, RAX, m(RAX)), '48 89 00', 'mov QWORD PTR [rax],rax');
c(st(64, R15, m(RSP, 8)), '4c 89 7c 24 08', 'mov QWORD PTR [rsp+0x8],r15');
c(st(64, RCX, mx(R13, R9, 8)), '4b 89 4c cd 00', 'mov QWORD PTR [r13+r9*8+0x0],rcx');
c(st(32, RDX, m(RBP, -4)), '89 55 fc', 'mov DWORD PTR [rbp-0x4],edx');
c(st(32, R8, mx(RAX, RBX, 4, 0x1000)), '44 89 84 98 00 10 00 00', 'mov DWORD PTR [rax+rbx*4+0x1000],r8d');
c(st(16, RAX, m(RCX)), '66 89 01', 'mov WORD PTR [rcx],ax');
c(st(16, R9, m(R12, 2)), '66 45 89 4c 24 02', 'mov WORD PTR [r12+0x2],r9w');
c(st(16, RSI, mx(RDI, RSI, 2)), '66 89 34 77', 'mov WORD PTR [rdi+rsi*2],si');
c(st(8, RAX, m(RAX)), '88 00', 'mov BYTE PTR [rax],al');
c(st(8, RBX, m(RAX)), '88 18', 'mov BYTE PTR [rax],bl');
c(st(8, RSI, m(RAX)), '40 88 30', 'mov BYTE PTR [rax],sil');
c(st(8, RDI, m(RDX, 3)), '40 88 7a 03', 'mov BYTE PTR [rdx+0x3],dil');
c(st(8, RSP, m(RAX)), '40 88 20', 'mov BYTE PTR [rax],spl');
c(st(8, RBP, m(R8)), '41 88 28', 'mov BYTE PTR [r8],bpl');
c(st(8, R8, m(RAX)), '44 88 00', 'mov BYTE PTR [rax],r8b');
c(st(8, R15, mx(R14, R13, 1)), '47 88 3c 2e', 'mov BYTE PTR [r14+r13*1],r15b');
c(st(64, RBX, slotMem(2)), '48 89 5c 24 40', 'mov QWORD PTR [rsp+0x40],rbx');
c(sti(8, 5, m(RAX)), 'c6 00 05', 'mov BYTE PTR [rax],0x5');
c(sti(8, 0xff, m(R9, 1)), '41 c6 41 01 ff', 'mov BYTE PTR [r9+0x1],0xff');
c(sti(16, 0x1234, m(RSP)), '66 c7 04 24 34 12', 'mov WORD PTR [rsp],0x1234');
c(sti(32, 0x12345678, m(RBP, -8)), 'c7 45 f8 78 56 34 12', 'mov DWORD PTR [rbp-0x8],0x12345678');
c(sti(32, 0, mx(RAX, RCX, 4)), 'c7 04 88 00 00 00 00', 'mov DWORD PTR [rax+rcx*4],0x0');
c(sti(64, -1, m(RDI)), '48 c7 07 ff ff ff ff', 'mov QWORD PTR [rdi],0xffffffffffffffff');
c(sti(64, 0x7fffffff, m(R13)), '49 c7 45 00 ff ff ff 7f', 'mov QWORD PTR [r13+0x0],0x7fffffff');

// ── register extensions
c(ext(8, false, 32, RAX, RAX), '0f b6 c0', 'movzx eax,al');
c(ext(8, false, 32, RAX, RSI), '40 0f b6 c6', 'movzx eax,sil');
c(ext(8, false, 64, R8, RDI), '44 0f b6 c7', 'movzx r8d,dil');
c(ext(8, false, 32, RAX, R15), '41 0f b6 c7', 'movzx eax,r15b');
c(ext(8, false, 32, RSP, RBP), '40 0f b6 e5', 'movzx esp,bpl');
c(ext(16, false, 32, RCX, RDX), '0f b7 ca', 'movzx ecx,dx');
c(ext(16, false, 64, R11, R12), '45 0f b7 dc', 'movzx r11d,r12w');
c(ext(8, true, 32, RAX, RBX), '0f be c3', 'movsx eax,bl');
c(ext(8, true, 64, RAX, RSP), '48 0f be c4', 'movsx rax,spl');
c(ext(8, true, 64, R9, R10), '4d 0f be ca', 'movsx r9,r10b');
c(ext(16, true, 32, RCX, RCX), '0f bf c9', 'movsx ecx,cx');
c(ext(16, true, 64, R9, R10), '4d 0f bf ca', 'movsx r9,r10w');
c(ext(32, true, 64, RAX, RCX), '48 63 c1', 'movsxd rax,ecx');
c(ext(32, true, 64, R12, R13), '4d 63 e5', 'movsxd r12,r13d');
c(ext(32, false, 64, RAX, RAX), '89 c0', 'mov eax,eax');
c(ext(32, false, 64, R8, R9), '45 89 c8', 'mov r8d,r9d');

// ── lea
c(lea(64, RAX, mx(RBX, RCX, 4, 0x10)), '48 8d 44 8b 10', 'lea rax,[rbx+rcx*4+0x10]');
c(lea(32, RAX, mx(RDI, RSI, 1)), '8d 04 37', 'lea eax,[rdi+rsi*1]');
c(lea(64, R12, m(R13)), '4d 8d 65 00', 'lea r12,[r13+0x0]');
c(lea(64, RSP, m(RSP, -0x10)), '48 8d 64 24 f0', 'lea rsp,[rsp-0x10]');
c(lea(64, RAX, mx(RAX, RAX, 2)), '48 8d 04 40', 'lea rax,[rax+rax*2]');
c(lea(32, R10, m(R10, 1)), '45 8d 52 01', 'lea r10d,[r10+0x1]');
// no base: [index*scale + disp32] (SIB base 101, mod 00)
c(lea(32, RAX, { kind: 'addr', index: RCX, scale: 4, disp: 0xe80 }), '8d 04 8d 80 0e 00 00', 'lea eax,[rcx*4+0xe80]');
c(lea(64, R11, { kind: 'addr', index: R9, scale: 8, disp: -8 }), '4e 8d 1c cd f8 ff ff ff', 'lea r11,[r9*8-0x8]');
c(ld(32, 'zx', 32, RDX, { kind: 'addr', index: R13, scale: 2, disp: 0 }), '42 8b 14 6d 00 00 00 00', 'mov edx,DWORD PTR [r13*2+0x0]');
c(lea(64, RAX, ripLabel(0)), '48 8d 05 f9 ff ff ff', 'lea rax,[rip+0xfffffffffffffff9]');
c(lea(64, R11, ripLabel(0)), '4c 8d 1d f9 ff ff ff', 'lea r11,[rip+0xfffffffffffffff9]');
c(lea(64, RCX, ripSym('data', 0)), '48 8d 0d 00 00 00 00', 'lea rcx,[rip+0x0]');
c(lea(64, RDX, slotMem(3)), '48 8d 54 24 50', 'lea rdx,[rsp+0x50]');

// ── ALU reg, reg
for (const [aop, size, d, s, text, hex] of [
  ['add', 64, RAX, RCX, 'add rax,rcx', '48 01 c8'],
  ['add', 32, RAX, RCX, 'add eax,ecx', '01 c8'],
  ['add', 64, R8, R15, 'add r8,r15', '4d 01 f8'],
  ['or', 64, RBX, RDX, 'or rbx,rdx', '48 09 d3'],
  ['or', 32, R9, RSP, 'or r9d,esp', '41 09 e1'],
  ['and', 64, RSI, RDI, 'and rsi,rdi', '48 21 fe'],
  ['and', 32, R12, R13, 'and r12d,r13d', '45 21 ec'],
  ['sub', 64, RSP, RAX, 'sub rsp,rax', '48 29 c4'],
  ['sub', 32, RBP, R10, 'sub ebp,r10d', '44 29 d5'],
  ['xor', 64, RAX, RAX, 'xor rax,rax', '48 31 c0'],
  ['xor', 32, R11, R11, 'xor r11d,r11d', '45 31 db'],
  ['cmp', 64, RCX, RDX, 'cmp rcx,rdx', '48 39 d1'],
  ['cmp', 32, R14, RAX, 'cmp r14d,eax', '41 39 c6'],
  ['test', 64, RAX, RAX, 'test rax,rax', '48 85 c0'],
  ['test', 32, RDI, R8, 'test edi,r8d', '44 85 c7'],
  ['test', 64, R15, RBP, 'test r15,rbp', '49 85 ef'],
] as const) c(rr(aop, size, d, s), hex, text);

// ── ALU reg, imm (imm8 when it fits)
for (const [aop, size, d, imm, text, hex] of [
  ['add', 32, RAX, 1, 'add eax,0x1', '83 c0 01'],
  ['add', 64, RAX, 127, 'add rax,0x7f', '48 83 c0 7f'],
  ['add', 64, RAX, 128, 'add rax,0x80', '48 05 80 00 00 00'],
  ['add', 64, RAX, -128, 'add rax,0xffffffffffffff80', '48 83 c0 80'],
  ['add', 64, RAX, -129, 'add rax,0xffffffffffffff7f', '48 05 7f ff ff ff'],
  ['add', 32, R8, 0x12345678, 'add r8d,0x12345678', '41 81 c0 78 56 34 12'],
  ['or', 64, RCX, 0x100, 'or rcx,0x100', '48 81 c9 00 01 00 00'],
  ['or', 32, RSP, 8, 'or esp,0x8', '83 cc 08'],
  ['and', 32, RAX, 0xffffffff, 'and eax,0xffffffff', '83 e0 ff'],
  ['and', 64, RDX, -16, 'and rdx,0xfffffffffffffff0', '48 83 e2 f0'],
  ['and', 32, RBX, 0x80000000, 'and ebx,0x80000000', '81 e3 00 00 00 80'],
  ['sub', 64, RSP, 8, 'sub rsp,0x8', '48 83 ec 08'],
  ['sub', 64, R12, 0x1000, 'sub r12,0x1000', '49 81 ec 00 10 00 00'],
  ['sub', 32, R15, -1, 'sub r15d,0xffffffff', '41 83 ef ff'],
  ['xor', 32, RSI, 1, 'xor esi,0x1', '83 f6 01'],
  ['xor', 64, R9, -0x80000000, 'xor r9,0xffffffff80000000', '49 81 f1 00 00 00 80'],
  ['cmp', 32, RAX, 0, 'cmp eax,0x0', '83 f8 00'],
  ['cmp', 64, RDI, 0x7fffffff, 'cmp rdi,0x7fffffff', '48 81 ff ff ff ff 7f'],
  ['cmp', 32, R13, 10, 'cmp r13d,0xa', '41 83 fd 0a'],
  ['cmp', 64, RBP, -1, 'cmp rbp,0xffffffffffffffff', '48 83 fd ff'],
  ['test', 32, RAX, 1, 'test eax,0x1', 'a9 01 00 00 00'],
  ['test', 64, R10, 0xff, 'test r10,0xff', '49 f7 c2 ff 00 00 00'],
  ['test', 32, RSI, 0x80000000, 'test esi,0x80000000', 'f7 c6 00 00 00 80'],
] as const) c(ri(aop, size, d, imm), hex, text);

// ── ALU with memory
c(rm('add', 64, RAX, m(RDI, 8)), '48 03 47 08', 'add rax,QWORD PTR [rdi+0x8]');
c(rm('sub', 32, R8, mx(RAX, RCX, 4)), '44 2b 04 88', 'sub r8d,DWORD PTR [rax+rcx*4]');
c(rm('and', 64, RCX, m(R12)), '49 23 0c 24', 'and rcx,QWORD PTR [r12]');
c(rm('or', 32, RDX, m(RBP, -0x10)), '0b 55 f0', 'or edx,DWORD PTR [rbp-0x10]');
c(rm('xor', 64, R15, m(R13, 8)), '4d 33 7d 08', 'xor r15,QWORD PTR [r13+0x8]');
c(rm('cmp', 64, RSP, m(RDI, 0x40)), '48 3b 67 40', 'cmp rsp,QWORD PTR [rdi+0x40]');
c(rm('cmp', 32, RAX, slotMem(0)), '3b 44 24 20', 'cmp eax,DWORD PTR [rsp+0x20]');
c(rm('test', 64, RCX, m(RAX)), '48 85 08', 'test QWORD PTR [rax],rcx');
c(rm('add', 64, RAX, ripSym('g', 0)), '48 03 05 00 00 00 00', 'add rax,QWORD PTR [rip+0x0]');
c(mr('add', 64, m(RAX), RCX), '48 01 08', 'add QWORD PTR [rax],rcx');
c(mr('sub', 32, m(RSP, 4), R9), '44 29 4c 24 04', 'sub DWORD PTR [rsp+0x4],r9d');
c(mr('or', 64, mx(RBX, R12, 8, 0x10), RDX), '4a 09 54 e3 10', 'or QWORD PTR [rbx+r12*8+0x10],rdx');
c(mr('and', 32, m(R13), RSI), '41 21 75 00', 'and DWORD PTR [r13+0x0],esi');
c(mr('xor', 64, m(RBP, -8), RAX), '48 31 45 f8', 'xor QWORD PTR [rbp-0x8],rax');
c(mr('cmp', 64, m(RDI), R8), '4c 39 07', 'cmp QWORD PTR [rdi],r8');
c(mr('test', 32, m(RAX, 0x100), RAX), '85 80 00 01 00 00', 'test DWORD PTR [rax+0x100],eax');
c(mi('add', 64, m(RAX), 1), '48 83 00 01', 'add QWORD PTR [rax],0x1');
c(mi('sub', 32, m(RBP, -4), 0x1000), '81 6d fc 00 10 00 00', 'sub DWORD PTR [rbp-0x4],0x1000');
c(mi('cmp', 64, m(RDI, 0x18), 0), '48 83 7f 18 00', 'cmp QWORD PTR [rdi+0x18],0x0');
c(mi('and', 32, mx(RSP, R8, 4), -2), '42 83 24 84 fe', 'and DWORD PTR [rsp+r8*4],0xfffffffe');
c(mi('test', 64, m(R12, 8), 0x10), '49 f7 44 24 08 10 00 00 00', 'test QWORD PTR [r12+0x8],0x10');
c(mi('cmp', 32, ripLabel(0), 5), '83 3d f9 ff ff ff 05', 'cmp DWORD PTR [rip+0xfffffffffffffff9],0x5');
c(mi('cmp', 32, ripLabel(0), 0x100), '81 3d f6 ff ff ff 00 01 00 00', 'cmp DWORD PTR [rip+0xfffffffffffffff6],0x100');
c(mi('or', 64, ripSym('flags', 0), 1), '48 83 0d 00 00 00 00 01', 'or QWORD PTR [rip+0x0],0x1');

// ── multiply, divide
c({ op: 'imul_rr', size: 64, dst: RAX, src: RCX }, '48 0f af c1', 'imul rax,rcx');
c({ op: 'imul_rr', size: 32, dst: R8, src: R15 }, '45 0f af c7', 'imul r8d,r15d');
c({ op: 'imul_rr', size: 64, dst: RSP, src: R12 }, '49 0f af e4', 'imul rsp,r12');
c({ op: 'imul_rri', size: 32, dst: RAX, src: RCX, imm: 10 }, '6b c1 0a', 'imul eax,ecx,0xa');
c({ op: 'imul_rri', size: 64, dst: R9, src: R13, imm: -1 }, '4d 6b cd ff', 'imul r9,r13,0xffffffffffffffff');
c({ op: 'imul_rri', size: 64, dst: RDX, src: RDX, imm: 1000 }, '48 69 d2 e8 03 00 00', 'imul rdx,rdx,0x3e8');
c({ op: 'imul_rri', size: 32, dst: R12, src: RBP, imm: 0x12345678 }, '44 69 e5 78 56 34 12', 'imul r12d,ebp,0x12345678');
c(div(false, 32, RCX), 'f7 f1', 'div ecx');
c(div(true, 32, RBX), 'f7 fb', 'idiv ebx');
c(div(false, 64, R8), '49 f7 f0', 'div r8');
c(div(true, 64, RCX), '48 f7 f9', 'idiv rcx');
c(div(true, 32, R15), '41 f7 ff', 'idiv r15d');
c(div(false, 64, RSI), '48 f7 f6', 'div rsi');
c({ op: 'sign_ext_ax', size: 32, src: RAX, dst: RDX }, '99', 'cdq');
c({ op: 'sign_ext_ax', size: 64, src: RAX, dst: RDX }, '48 99', 'cqo');
c({ op: 'unary', uop: 'neg', size: 32, dst: RAX }, 'f7 d8', 'neg eax');
c({ op: 'unary', uop: 'neg', size: 64, dst: R10 }, '49 f7 da', 'neg r10');
c({ op: 'unary', uop: 'not', size: 32, dst: R9 }, '41 f7 d1', 'not r9d');
c({ op: 'unary', uop: 'not', size: 64, dst: RSP }, '48 f7 d4', 'not rsp');
c({ op: 'unary', uop: 'neg', size: 64, dst: RDI }, '48 f7 df', 'neg rdi');

// ── shifts and rotates
for (const [sop, size, d, text, hex] of [
  ['shl', 32, RAX, 'shl eax,cl', 'd3 e0'],
  ['shl', 64, R8, 'shl r8,cl', '49 d3 e0'],
  ['shr', 32, RDX, 'shr edx,cl', 'd3 ea'],
  ['shr', 64, RBX, 'shr rbx,cl', '48 d3 eb'],
  ['sar', 32, R12, 'sar r12d,cl', '41 d3 fc'],
  ['sar', 64, RAX, 'sar rax,cl', '48 d3 f8'],
  ['rol', 32, RSI, 'rol esi,cl', 'd3 c6'],
  ['rol', 64, R15, 'rol r15,cl', '49 d3 c7'],
  ['ror', 32, RDI, 'ror edi,cl', 'd3 cf'],
  ['ror', 64, R9, 'ror r9,cl', '49 d3 c9'],
] as const) c(shc(sop, size, d), hex, text);
for (const [sop, size, d, imm, text, hex] of [
  ['shl', 32, RAX, 1, 'shl eax,1', 'd1 e0'],
  ['shl', 64, RAX, 3, 'shl rax,0x3', '48 c1 e0 03'],
  ['shl', 32, RCX, 33, 'shl ecx,1', 'd1 e1'],
  ['shr', 64, R11, 63, 'shr r11,0x3f', '49 c1 eb 3f'],
  ['shr', 32, RDX, 1, 'shr edx,1', 'd1 ea'],
  ['sar', 64, R14, 1, 'sar r14,1', '49 d1 fe'],
  ['sar', 32, RBP, 31, 'sar ebp,0x1f', 'c1 fd 1f'],
  ['rol', 64, RSI, 8, 'rol rsi,0x8', '48 c1 c6 08'],
  ['rol', 32, R8, 1, 'rol r8d,1', '41 d1 c0'],
  ['ror', 32, RDI, 16, 'ror edi,0x10', 'c1 cf 10'],
  ['ror', 64, R12, 1, 'ror r12,1', '49 d1 cc'],
  ['shl', 64, RDX, 0, 'shl rdx,0x0', '48 c1 e2 00'],
] as const) c(shi(sop, size, d, imm), hex, text);

// ── bit counting
for (const [bop, size, d, s, text, hex] of [
  ['lzcnt', 32, RAX, RCX, 'lzcnt eax,ecx', 'f3 0f bd c1'],
  ['lzcnt', 64, R8, R9, 'lzcnt r8,r9', 'f3 4d 0f bd c1'],
  ['tzcnt', 32, RSI, R15, 'tzcnt esi,r15d', 'f3 41 0f bc f7'],
  ['tzcnt', 64, RAX, RAX, 'tzcnt rax,rax', 'f3 48 0f bc c0'],
  ['popcnt', 32, RDX, RBX, 'popcnt edx,ebx', 'f3 0f b8 d3'],
  ['popcnt', 64, R12, RSP, 'popcnt r12,rsp', 'f3 4c 0f b8 e4'],
  ['bsr', 32, RAX, RDI, 'bsr eax,edi', '0f bd c7'],
  ['bsr', 64, R10, R11, 'bsr r10,r11', '4d 0f bd d3'],
  ['bsf', 32, RCX, R13, 'bsf ecx,r13d', '41 0f bc cd'],
  ['bsf', 64, RBP, RAX, 'bsf rbp,rax', '48 0f bc e8'],
] as const) c(bit(bop, size, d, s), hex, text);

// ── setcc (byte registers incl. the REX-only ones), cmovcc
c(setcc(CC.O, RAX), '0f 90 c0', 'seto al');
c(setcc(CC.NO, RCX), '0f 91 c1', 'setno cl');
c(setcc(CC.B, RDX), '0f 92 c2', 'setb dl');
c(setcc(CC.AE, RBX), '0f 93 c3', 'setae bl');
c(setcc(CC.E, RSP), '40 0f 94 c4', 'sete spl');
c(setcc(CC.NE, RBP), '40 0f 95 c5', 'setne bpl');
c(setcc(CC.BE, RSI), '40 0f 96 c6', 'setbe sil');
c(setcc(CC.A, RDI), '40 0f 97 c7', 'seta dil');
c(setcc(CC.S, R8), '41 0f 98 c0', 'sets r8b');
c(setcc(CC.NS, R9), '41 0f 99 c1', 'setns r9b');
c(setcc(CC.P, R10), '41 0f 9a c2', 'setp r10b');
c(setcc(CC.NP, R11), '41 0f 9b c3', 'setnp r11b');
c(setcc(CC.L, R12), '41 0f 9c c4', 'setl r12b');
c(setcc(CC.GE, R13), '41 0f 9d c5', 'setge r13b');
c(setcc(CC.LE, R14), '41 0f 9e c6', 'setle r14b');
c(setcc(CC.G, R15), '41 0f 9f c7', 'setg r15b');
c(setcc(CC.E, RAX), '0f 94 c0', 'sete al');
c(cmov(CC.E, 32, RAX, RCX), '0f 44 c1', 'cmove eax,ecx');
c(cmov(CC.NE, 64, RAX, RCX), '48 0f 45 c1', 'cmovne rax,rcx');
c(cmov(CC.B, 64, R8, R9), '4d 0f 42 c1', 'cmovb r8,r9');
c(cmov(CC.AE, 32, RSI, R15), '41 0f 43 f7', 'cmovae esi,r15d');
c(cmov(CC.L, 64, R12, RAX), '4c 0f 4c e0', 'cmovl r12,rax');
c(cmov(CC.G, 32, RBP, RSP), '0f 4f ec', 'cmovg ebp,esp');
c(cmov(CC.P, 64, RDX, RDI), '48 0f 4a d7', 'cmovp rdx,rdi');
c(cmov(CC.O, 64, RAX, RAX), '48 0f 40 c0', 'cmovo rax,rax');

// ── GPR <-> XMM
c({ op: 'mov_to_xmm', size: 32, dst: XMM0, src: RAX }, '66 0f 6e c0', 'movd xmm0,eax');
c({ op: 'mov_to_xmm', size: 64, dst: XMM1, src: RAX }, '66 48 0f 6e c8', 'movq xmm1,rax');
c({ op: 'mov_to_xmm', size: 32, dst: XMM8, src: R9 }, '66 45 0f 6e c1', 'movd xmm8,r9d');
c({ op: 'mov_to_xmm', size: 64, dst: XMM15, src: R15 }, '66 4d 0f 6e ff', 'movq xmm15,r15');
c({ op: 'mov_from_xmm', size: 32, dst: RAX, src: XMM0 }, '66 0f 7e c0', 'movd eax,xmm0');
c({ op: 'mov_from_xmm', size: 64, dst: RCX, src: XMM2 }, '66 48 0f 7e d1', 'movq rcx,xmm2');
c({ op: 'mov_from_xmm', size: 32, dst: R12, src: XMM3 }, '66 41 0f 7e dc', 'movd r12d,xmm3');
c({ op: 'mov_from_xmm', size: 64, dst: R8, src: XMM12 }, '66 4d 0f 7e e0', 'movq r8,xmm12');

// ── XMM moves, loads, stores
c(xmov('movaps', XMM0, XMM1), '0f 28 c1', 'movaps xmm0,xmm1');
c(xmov('movaps', XMM8, XMM15), '45 0f 28 c7', 'movaps xmm8,xmm15');
c(xmov('movaps', XMM2, XMM9), '41 0f 28 d1', 'movaps xmm2,xmm9');
c(xmov('movapd', XMM3, XMM7), '66 0f 28 df', 'movapd xmm3,xmm7');
c(xmov('movups', XMM12, XMM0), '44 0f 10 e0', 'movups xmm12,xmm0');
c(xmov('movupd', XMM1, XMM2), '66 0f 10 ca', 'movupd xmm1,xmm2');
c(xmov('movdqa', XMM13, XMM14), '66 45 0f 6f ee', 'movdqa xmm13,xmm14');
c(xmov('movdqu', XMM0, XMM8), 'f3 41 0f 6f c0', 'movdqu xmm0,xmm8');
c(xmov('movss', XMM0, XMM1), 'f3 0f 10 c1', 'movss xmm0,xmm1');
c(xmov('movsd', XMM9, XMM1), 'f2 44 0f 10 c9', 'movsd xmm9,xmm1');
c(xld('movss', XMM0, m(RAX)), 'f3 0f 10 00', 'movss xmm0,DWORD PTR [rax]');
c(xld('movss', XMM9, mx(R12, RCX, 4, 8)), 'f3 45 0f 10 4c 8c 08', 'movss xmm9,DWORD PTR [r12+rcx*4+0x8]');
c(xld('movsd', XMM1, m(RBP, -8)), 'f2 0f 10 4d f8', 'movsd xmm1,QWORD PTR [rbp-0x8]');
c(xld('movsd', XMM15, m(R13)), 'f2 45 0f 10 7d 00', 'movsd xmm15,QWORD PTR [r13+0x0]');
c(xld('movaps', XMM2, m(RSP, 0x10)), '0f 28 54 24 10', 'movaps xmm2,XMMWORD PTR [rsp+0x10]');
c(xld('movapd', XMM3, ripLabel(0)), '66 0f 28 1d f8 ff ff ff', 'movapd xmm3,XMMWORD PTR [rip+0xfffffffffffffff8]');
c(xld('movups', XMM8, mx(RAX, R9, 1)), '46 0f 10 04 08', 'movups xmm8,XMMWORD PTR [rax+r9*1]');
c(xld('movupd', XMM0, m(RDI)), '66 0f 10 07', 'movupd xmm0,XMMWORD PTR [rdi]');
c(xld('movdqa', XMM7, ripSym('k', 0)), '66 0f 6f 3d 00 00 00 00', 'movdqa xmm7,XMMWORD PTR [rip+0x0]');
c(xld('movdqu', XMM14, m(R8, 0x100)), 'f3 45 0f 6f b0 00 01 00 00', 'movdqu xmm14,XMMWORD PTR [r8+0x100]');
c(xld('movups', XMM1, slotMem(1)), '0f 10 4c 24 30', 'movups xmm1,XMMWORD PTR [rsp+0x30]');
c(xst('movss', XMM0, m(RAX)), 'f3 0f 11 00', 'movss DWORD PTR [rax],xmm0');
c(xst('movss', XMM12, m(RSP)), 'f3 44 0f 11 24 24', 'movss DWORD PTR [rsp],xmm12');
c(xst('movsd', XMM1, mx(RBX, RDX, 8)), 'f2 0f 11 0c d3', 'movsd QWORD PTR [rbx+rdx*8],xmm1');
c(xst('movaps', XMM2, m(RBP, -0x20)), '0f 29 55 e0', 'movaps XMMWORD PTR [rbp-0x20],xmm2');
c(xst('movapd', XMM9, m(RCX)), '66 44 0f 29 09', 'movapd XMMWORD PTR [rcx],xmm9');
c(xst('movups', XMM15, slotMem(4)), '44 0f 11 7c 24 60', 'movups XMMWORD PTR [rsp+0x60],xmm15');
c(xst('movupd', XMM3, m(R14, 0x10)), '66 41 0f 11 5e 10', 'movupd XMMWORD PTR [r14+0x10],xmm3');
c(xst('movdqa', XMM0, m(RDI, 0x30)), '66 0f 7f 47 30', 'movdqa XMMWORD PTR [rdi+0x30],xmm0');
c(xst('movdqu', XMM13, mx(RSI, R10, 1, -0x10)), 'f3 46 0f 7f 6c 16 f0', 'movdqu XMMWORD PTR [rsi+r10*1-0x10],xmm13');

// ── SSE arithmetic, logic, compares (reg, reg)
for (const [sop, d, s, hex] of [
  ['addss', XMM0, XMM1, 'f3 0f 58 c1'], ['addsd', XMM2, XMM3, 'f2 0f 58 d3'], ['subss', XMM8, XMM1, 'f3 44 0f 5c c1'], ['subsd', XMM1, XMM9, 'f2 41 0f 5c c9'],
  ['mulss', XMM12, XMM13, 'f3 45 0f 59 e5'], ['mulsd', XMM0, XMM15, 'f2 41 0f 59 c7'], ['divss', XMM7, XMM0, 'f3 0f 5e f8'], ['divsd', XMM14, XMM14, 'f2 45 0f 5e f6'],
  ['minss', XMM0, XMM1, 'f3 0f 5d c1'], ['minsd', XMM9, XMM8, 'f2 45 0f 5d c8'], ['maxss', XMM2, XMM12, 'f3 41 0f 5f d4'], ['maxsd', XMM15, XMM0, 'f2 44 0f 5f f8'],
  ['sqrtss', XMM0, XMM0, 'f3 0f 51 c0'], ['sqrtsd', XMM1, XMM8, 'f2 41 0f 51 c8'],
  ['cvtss2sd', XMM0, XMM1, 'f3 0f 5a c1'], ['cvtsd2ss', XMM9, XMM2, 'f2 44 0f 5a ca'],
  ['ucomiss', XMM0, XMM1, '0f 2e c1'], ['ucomisd', XMM8, XMM15, '66 45 0f 2e c7'], ['ucomisd', XMM3, XMM0, '66 0f 2e d8'],
  ['andps', XMM0, XMM1, '0f 54 c1'], ['andpd', XMM2, XMM8, '66 41 0f 54 d0'], ['andnps', XMM12, XMM3, '44 0f 55 e3'], ['andnpd', XMM0, XMM7, '66 0f 55 c7'],
  ['orps', XMM1, XMM2, '0f 56 ca'], ['orpd', XMM13, XMM13, '66 45 0f 56 ed'], ['xorps', XMM0, XMM0, '0f 57 c0'], ['xorpd', XMM9, XMM14, '66 45 0f 57 ce'],
  ['pxor', XMM0, XMM1, '66 0f ef c1'], ['pxor', XMM15, XMM8, '66 45 0f ef f8'], ['pand', XMM2, XMM3, '66 0f db d3'], ['pandn', XMM8, XMM1, '66 44 0f df c1'], ['por', XMM0, XMM12, '66 41 0f eb c4'],
  ['paddb', XMM0, XMM1, '66 0f fc c1'], ['paddw', XMM0, XMM1, '66 0f fd c1'], ['paddd', XMM9, XMM1, '66 44 0f fe c9'], ['paddq', XMM0, XMM9, '66 41 0f d4 c1'],
  ['psubb', XMM2, XMM1, '66 0f f8 d1'], ['psubw', XMM2, XMM1, '66 0f f9 d1'], ['psubd', XMM2, XMM14, '66 41 0f fa d6'], ['psubq', XMM12, XMM1, '66 44 0f fb e1'],
  ['pcmpeqb', XMM0, XMM0, '66 0f 74 c0'], ['pcmpeqw', XMM3, XMM2, '66 0f 75 da'], ['pcmpeqd', XMM8, XMM8, '66 45 0f 76 c0'],
  ['addps', XMM0, XMM1, '0f 58 c1'], ['addpd', XMM8, XMM1, '66 44 0f 58 c1'], ['subps', XMM0, XMM9, '41 0f 5c c1'], ['subpd', XMM1, XMM2, '66 0f 5c ca'],
  ['mulps', XMM3, XMM7, '0f 59 df'], ['mulpd', XMM12, XMM13, '66 45 0f 59 e5'], ['divps', XMM0, XMM1, '0f 5e c1'], ['divpd', XMM14, XMM15, '66 45 0f 5e f7'],
  ['sqrtps', XMM0, XMM1, '0f 51 c1'], ['sqrtpd', XMM8, XMM9, '66 45 0f 51 c1'],
] as const) c(sse(sop, d, s), hex, `${sop} xmm${d - XMM0},xmm${s - XMM0}`);

// ── SSE with a memory source
c(sse('addss', XMM0, m(RAX)), 'f3 0f 58 00', 'addss xmm0,DWORD PTR [rax]');
c(sse('addsd', XMM9, m(RBP, -8)), 'f2 44 0f 58 4d f8', 'addsd xmm9,QWORD PTR [rbp-0x8]');
c(sse('mulsd', XMM1, mx(RSP, RAX, 8)), 'f2 0f 59 0c c4', 'mulsd xmm1,QWORD PTR [rsp+rax*8]');
c(sse('divss', XMM2, m(R12, 4)), 'f3 41 0f 5e 54 24 04', 'divss xmm2,DWORD PTR [r12+0x4]');
c(sse('sqrtsd', XMM3, m(R13)), 'f2 41 0f 51 5d 00', 'sqrtsd xmm3,QWORD PTR [r13+0x0]');
c(sse('ucomiss', XMM0, slotMem(0)), '0f 2e 44 24 20', 'ucomiss xmm0,DWORD PTR [rsp+0x20]');
c(sse('ucomisd', XMM8, m(RDI, 0x10)), '66 44 0f 2e 47 10', 'ucomisd xmm8,QWORD PTR [rdi+0x10]');
c(sse('andps', XMM0, ripLabel(0)), '0f 54 05 f9 ff ff ff', 'andps xmm0,XMMWORD PTR [rip+0xfffffffffffffff9]');
c(sse('andpd', XMM1, ripSym('absmask', 0)), '66 0f 54 0d 00 00 00 00', 'andpd xmm1,XMMWORD PTR [rip+0x0]');
c(sse('xorps', XMM15, ripSym('signmask', 0)), '44 0f 57 3d 00 00 00 00', 'xorps xmm15,XMMWORD PTR [rip+0x0]');
c(sse('cvtss2sd', XMM0, m(RAX)), 'f3 0f 5a 00', 'cvtss2sd xmm0,DWORD PTR [rax]');
c(sse('cvtsd2ss', XMM0, m(RAX)), 'f2 0f 5a 00', 'cvtsd2ss xmm0,QWORD PTR [rax]');
c(sse('pxor', XMM2, mx(R8, R9, 2, 0x40)), '66 43 0f ef 54 48 40', 'pxor xmm2,XMMWORD PTR [r8+r9*2+0x40]');
c(sse('minsd', XMM0, m(RCX)), 'f2 0f 5d 01', 'minsd xmm0,QWORD PTR [rcx]');
c(sse('maxss', XMM12, m(RCX)), 'f3 44 0f 5f 21', 'maxss xmm12,DWORD PTR [rcx]');
c({ op: 'xzero', dst: XMM0 }, '0f 57 c0', 'xorps xmm0,xmm0');
c({ op: 'xzero', dst: XMM13 }, '45 0f 57 ed', 'xorps xmm13,xmm13');

// ── rounding and conversions
c(round('f32', 0, XMM0, XMM1), '66 0f 3a 0a c1 00', 'roundss xmm0,xmm1,0x0');
c(round('f32', 1, XMM8, XMM0), '66 44 0f 3a 0a c0 01', 'roundss xmm8,xmm0,0x1');
c(round('f64', 2, XMM1, XMM9), '66 41 0f 3a 0b c9 02', 'roundsd xmm1,xmm9,0x2');
c(round('f64', 3, XMM15, XMM15), '66 45 0f 3a 0b ff 03', 'roundsd xmm15,xmm15,0x3');
c(round('f32', 3, XMM2, m(RAX, 8)), '66 0f 3a 0a 50 08 03', 'roundss xmm2,DWORD PTR [rax+0x8],0x3');
c(round('f64', 1, XMM0, ripLabel(0)), '66 0f 3a 0b 05 f6 ff ff ff 01', 'roundsd xmm0,QWORD PTR [rip+0xfffffffffffffff6],0x1');
c(i2f('f32', 32, XMM0, RAX), 'f3 0f 2a c0', 'cvtsi2ss xmm0,eax');
c(i2f('f32', 64, XMM0, RAX), 'f3 48 0f 2a c0', 'cvtsi2ss xmm0,rax');
c(i2f('f64', 32, XMM1, R8), 'f2 41 0f 2a c8', 'cvtsi2sd xmm1,r8d');
c(i2f('f64', 64, XMM9, R15), 'f2 4d 0f 2a cf', 'cvtsi2sd xmm9,r15');
c(i2f('f32', 64, XMM12, RSP), 'f3 4c 0f 2a e4', 'cvtsi2ss xmm12,rsp');
c(i2f('f64', 32, XMM2, RDI), 'f2 0f 2a d7', 'cvtsi2sd xmm2,edi');
c(f2i('f32', 32, RAX, XMM0), 'f3 0f 2c c0', 'cvttss2si eax,xmm0');
c(f2i('f32', 64, RAX, XMM1), 'f3 48 0f 2c c1', 'cvttss2si rax,xmm1');
c(f2i('f64', 32, R9, XMM0), 'f2 44 0f 2c c8', 'cvttsd2si r9d,xmm0');
c(f2i('f64', 64, RCX, XMM8), 'f2 49 0f 2c c8', 'cvttsd2si rcx,xmm8');
c(f2i('f32', 64, R15, XMM15), 'f3 4d 0f 2c ff', 'cvttss2si r15,xmm15');
c(f2i('f64', 64, RSI, XMM2), 'f2 48 0f 2c f2', 'cvttsd2si rsi,xmm2');

// ── control flow (labels bound at the case start)
c({ op: 'jmp', target: 0 }, 'e9 fb ff ff ff', 'jmp .+0');
c({ op: 'jmp', target: 2 }, '', '', 2);
c({ op: 'jcc', cc: CC.E, taken: 0, notTaken: 1 }, '0f 84 fa ff ff ff e9 f5 ff ff ff', 'je .+0 ; jmp .+0');
c({ op: 'jcc', cc: CC.L, taken: 0, notTaken: 1 }, '0f 8c fa ff ff ff', 'jl .+0', 1);
c({ op: 'jcc', cc: CC.B, taken: 1, notTaken: 0 }, '0f 83 fa ff ff ff', 'jae .+0', 1);
c({ op: 'jcc', cc: CC.G, taken: 3, notTaken: 3 }, 'e9 fb ff ff ff', 'jmp .+0', 1);
c({ op: 'jcc', cc: CC.G, taken: 3, notTaken: 3 }, '', '', 3);
c({ op: 'jcc', cc: CC.NP, taken: 0, notTaken: 2 }, '0f 8b fa ff ff ff e9 f5 ff ff ff', 'jnp .+0 ; jmp .+0', 1);
c({ op: 'jmp_r', target: RAX }, 'ff e0', 'jmp rax');
c({ op: 'jmp_r', target: R11 }, '41 ff e3', 'jmp r11');
c({ op: 'trap_if', cc: CC.E, code: 2 }, '75 02 0f 0b', 'jne .+4 ; ud2');
c({ op: 'trap_if', cc: CC.AE, code: 5 }, '72 02 0f 0b', 'jb .+4 ; ud2');
c({ op: 'call', callee: { kind: 'sym', symbol: 'f' }, args: [], rets: [] }, 'e8 00 00 00 00', 'call .+5');
c({ op: 'call', callee: { kind: 'reg', reg: RAX }, args: [], rets: [] }, 'ff d0', 'call rax');
c({ op: 'call', callee: { kind: 'reg', reg: R11 }, args: [], rets: [] }, '41 ff d3', 'call r11');
c({ op: 'call', callee: { kind: 'mem', mem: m(RDI, 0x10) }, args: [], rets: [] }, 'ff 57 10', 'call QWORD PTR [rdi+0x10]');
c({ op: 'call', callee: { kind: 'mem', mem: mx(R12, RAX, 8) }, args: [], rets: [] }, '41 ff 14 c4', 'call QWORD PTR [r12+rax*8]');
c({ op: 'ret', rets: [] }, 'c3', 'ret');
c({ op: 'push', src: RAX }, '50', 'push rax');
c({ op: 'push', src: RBP }, '55', 'push rbp');
c({ op: 'push', src: R8 }, '41 50', 'push r8');
c({ op: 'push', src: R15 }, '41 57', 'push r15');
c({ op: 'pop', dst: RBX }, '5b', 'pop rbx');
c({ op: 'pop', dst: RBP }, '5d', 'pop rbp');
c({ op: 'pop', dst: R12 }, '41 5c', 'pop r12');
c({ op: 'pop', dst: R15 }, '41 5f', 'pop r15');
c({ op: 'sp_adjust', delta: -16 }, '48 83 ec 10', 'sub rsp,0x10');
c({ op: 'sp_adjust', delta: 16 }, '48 83 c4 10', 'add rsp,0x10');
c({ op: 'sp_adjust', delta: -0x1000 }, '48 81 ec 00 10 00 00', 'sub rsp,0x1000');
c({ op: 'sp_adjust', delta: 128 }, '48 81 c4 80 00 00 00', 'add rsp,0x80');
c({ op: 'sp_adjust', delta: 0 }, '', '');
c({ op: 'ud2' }, '0f 0b', 'ud2');
c({ op: 'ud2', code: 1 }, '0f 0b', 'ud2');
c({ op: 'int3' }, 'cc', 'int3');
c({ op: 'nop' }, '90', 'nop');
c({ op: 'nop', len: 2 }, '66 90', 'xchg ax,ax');
c({ op: 'nop', len: 3 }, '0f 1f 00', 'nop DWORD PTR [rax]');
c({ op: 'nop', len: 4 }, '0f 1f 40 00', 'nop DWORD PTR [rax+0x0]');
c({ op: 'nop', len: 5 }, '0f 1f 44 00 00', 'nop DWORD PTR [rax+rax*1+0x0]');
c({ op: 'nop', len: 6 }, '66 0f 1f 44 00 00', 'nop WORD PTR [rax+rax*1+0x0]');
c({ op: 'nop', len: 7 }, '0f 1f 80 00 00 00 00', 'nop DWORD PTR [rax+0x0]');
c({ op: 'nop', len: 8 }, '0f 1f 84 00 00 00 00 00', 'nop DWORD PTR [rax+rax*1+0x0]');
c({ op: 'nop', len: 9 }, '66 0f 1f 84 00 00 00 00 00', 'nop WORD PTR [rax+rax*1+0x0]');
