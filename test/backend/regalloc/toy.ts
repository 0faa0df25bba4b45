/**
 * A toy target for allocator tests: 4 GPRs (r0-r2 caller-saved, r3 callee-saved), 3 FPRs
 * (f0, f1 caller-saved, f2 callee-saved) and a reserved sp, so register pressure is high.
 * (Three FPRs, not two: `fbin d, a, b` with a and b both live afterwards needs three
 * registers at its end, since the allocator keeps a value that is live across an
 * instruction in the register it was read from.)
 * It has every operand shape the real targets use: three-address ops, two-address
 * (UseDef), EarlyDef, fixed uses (shift count in r2), fixed UseDef + fixed Def (div in
 * r0/r1), calls (fixed args and results, clobbers), physical-register reads, and
 * conditional branches. An interpreter runs code before and after allocation.
 */

import {
  FPR,
  GPR,
  OpRole,
  VREG_BASE,
  type MFunc,
  type MoveInfo,
  type Reg,
  type RegClass,
  type RegVisitor,
  type RegisterFile,
  type TargetISA,
} from '../../../src/backend/minst.js';

export const R0 = 0, R1 = 1, R2 = 2, R3 = 3, F0 = 4, F1 = 5, F2 = 6, SP = 7;

// Registers 8-15 and 16-23 exist only in the wide register file (`wideRegs`).
const NAMES = ['r0', 'r1', 'r2', 'r3', 'f0', 'f1', 'f2', 'sp', ...[4, 5, 6, 7, 8, 9, 10, 11].map((i) => `r${i}`), ...[3, 4, 5, 6, 7, 8, 9, 10].map((i) => `f${i}`)];
const CLASSES: RegClass[] = [GPR, GPR, GPR, GPR, FPR, FPR, FPR, GPR, ...Array<RegClass>(8).fill(GPR), ...Array<RegClass>(8).fill(FPR)];

export const toyRegs: RegisterFile = {
  names: NAMES,
  classOf: CLASSES,
  allocatable: [[R0, R1, R2, R3], [F0, F1, F2]],
  calleeSaved: new Set([R3, F2]),
  spillSlotSize: [8, 16],
};

/** Roughly x86-64's budget: 12 GPRs (5 callee-saved), 14 FPRs (3 callee-saved). */
export const wideRegs: RegisterFile = {
  names: NAMES,
  classOf: CLASSES,
  allocatable: [
    [R0, R1, R2, 8, 9, 10, 11, 12, R3, 13, 14, 15],
    [F0, F1, 16, 17, 18, 19, 20, 21, 22, 23, F2],
  ],
  calleeSaved: new Set([R3, 13, 14, 15, 22, 23, F2]),
  spillSlotSize: [8, 16],
};

export type BinKind = 'add' | 'sub' | 'mul' | 'xor';

export type TInst = { ins?: boolean } & (
  | { op: 'li'; d: Reg; imm: number }
  | { op: 'bin'; kind: BinKind; d: Reg; a: Reg; b: Reg }
  /** d = d * 3 + a (two-address) */
  | { op: 'acc'; d: Reg; a: Reg }
  /** d = a << (c & 7), count fixed in r2 */
  | { op: 'shl'; d: Reg; a: Reg; c: Reg }
  /** q = q / b, rem = q % b; q fixed in r0 (UseDef), rem fixed in r1 */
  | { op: 'div'; q: Reg; b: Reg; rem: Reg }
  /** d = a - b, with d written before a and b are read */
  | { op: 'early'; d: Reg; a: Reg; b: Reg }
  | { op: 'fli'; d: Reg; imm: number }
  | { op: 'fbin'; d: Reg; a: Reg; b: Reg }
  | { op: 'i2f'; d: Reg; a: Reg }
  | { op: 'f2i'; d: Reg; a: Reg }
  /** result in r0 (and f0 if fres), args in r0, r1 and f0; clobbers r0-r2, f0, f1 */
  | { op: 'call'; args: Reg[]; fargs: Reg[]; res: Reg; fres?: Reg }
  | { op: 'mov'; cls: RegClass; d: Reg; s: Reg }
  | { op: 'spill'; cls: RegClass; s: Reg; slot: number }
  | { op: 'reload'; cls: RegClass; d: Reg; slot: number }
  | { op: 'out'; a: Reg }
  | { op: 'fout'; a: Reg }
  /** uses the reserved stack pointer: the allocator must leave it alone */
  | { op: 'sptouch' ; sp: Reg }
  | { op: 'jmp'; t: number }
  | { op: 'br'; c: Reg; t: number; f: Reg | number }
  | { op: 'ret'; a: Reg }
);

const CALL_GPR_ARGS = [R0, R1];
const CALL_FPR_ARGS = [F0];

function vname(r: Reg): string {
  return r >= VREG_BASE ? `v${r - VREG_BASE}` : NAMES[r]!;
}

/** The toy ISA always splits edges: its optional TargetISA members are present. */
export type ToyIsa = TargetISA<TInst> & Required<Pick<TargetISA<TInst>, 'makeJump' | 'retargetBranch'>>;

/** The toy target over a register file; a call clobbers every allocatable caller-saved register. */
export function makeToyIsa(regs: RegisterFile): ToyIsa {
  const callClobbers = [...regs.allocatable[0], ...regs.allocatable[1]].filter((r) => !regs.calleeSaved.has(r));
  return {
    ...toyIsaBase,
    regs,
    clobbers: (i: TInst): readonly Reg[] => (i.op === 'call' ? callClobbers : []),
  };
}

const toyIsaBase: ToyIsa = {
  name: 'x86_64',
  regs: toyRegs,
  mapRegs(i: TInst, v: RegVisitor): void {
    switch (i.op) {
      case 'li':
        i.d = v(i.d, OpRole.Def, GPR, undefined);
        break;
      case 'bin':
        i.d = v(i.d, OpRole.Def, GPR, undefined);
        i.a = v(i.a, OpRole.Use, GPR, undefined);
        i.b = v(i.b, OpRole.Use, GPR, undefined);
        break;
      case 'acc':
        i.d = v(i.d, OpRole.UseDef, GPR, undefined);
        i.a = v(i.a, OpRole.Use, GPR, undefined);
        break;
      case 'shl':
        i.d = v(i.d, OpRole.Def, GPR, undefined);
        i.a = v(i.a, OpRole.Use, GPR, undefined);
        i.c = v(i.c, OpRole.Use, GPR, R2);
        break;
      case 'div':
        i.q = v(i.q, OpRole.UseDef, GPR, R0);
        i.b = v(i.b, OpRole.Use, GPR, undefined);
        i.rem = v(i.rem, OpRole.Def, GPR, R1);
        break;
      case 'early':
        i.d = v(i.d, OpRole.EarlyDef, GPR, undefined);
        i.a = v(i.a, OpRole.Use, GPR, undefined);
        i.b = v(i.b, OpRole.Use, GPR, undefined);
        break;
      case 'fli':
        i.d = v(i.d, OpRole.Def, FPR, undefined);
        break;
      case 'fbin':
        i.d = v(i.d, OpRole.Def, FPR, undefined);
        i.a = v(i.a, OpRole.Use, FPR, undefined);
        i.b = v(i.b, OpRole.Use, FPR, undefined);
        break;
      case 'i2f':
        i.d = v(i.d, OpRole.Def, FPR, undefined);
        i.a = v(i.a, OpRole.Use, GPR, undefined);
        break;
      case 'f2i':
        i.d = v(i.d, OpRole.Def, GPR, undefined);
        i.a = v(i.a, OpRole.Use, FPR, undefined);
        break;
      case 'call':
        i.args = i.args.map((a, k) => v(a, OpRole.Use, GPR, CALL_GPR_ARGS[k]));
        i.fargs = i.fargs.map((a, k) => v(a, OpRole.Use, FPR, CALL_FPR_ARGS[k]));
        i.res = v(i.res, OpRole.Def, GPR, R0);
        if (i.fres !== undefined) i.fres = v(i.fres, OpRole.Def, FPR, F0);
        break;
      case 'mov':
        i.d = v(i.d, OpRole.Def, i.cls, undefined);
        i.s = v(i.s, OpRole.Use, i.cls, undefined);
        break;
      case 'spill':
        i.s = v(i.s, OpRole.Use, i.cls, undefined);
        break;
      case 'reload':
        i.d = v(i.d, OpRole.Def, i.cls, undefined);
        break;
      case 'out':
        i.a = v(i.a, OpRole.Use, GPR, undefined);
        break;
      case 'fout':
        i.a = v(i.a, OpRole.Use, FPR, undefined);
        break;
      case 'sptouch':
        i.sp = v(i.sp, OpRole.UseDef, GPR, undefined);
        break;
      case 'br':
        i.c = v(i.c, OpRole.Use, GPR, undefined);
        break;
      case 'ret':
        i.a = v(i.a, OpRole.Use, GPR, R0);
        break;
      case 'jmp':
        break;
    }
  },
  clobbers(i: TInst): readonly Reg[] {
    return i.op === 'call' ? [R0, R1, R2, F0, F1] : [];
  },
  branchTargets(i: TInst): readonly number[] {
    if (i.op === 'jmp') return [i.t];
    if (i.op === 'br') return [i.t, i.f];
    return [];
  },
  isTerminator(i: TInst): boolean {
    return i.op === 'jmp' || i.op === 'br' || i.op === 'ret';
  },
  asMove(i: TInst): MoveInfo | undefined {
    return i.op === 'mov' ? { dst: i.d, src: i.s, cls: i.cls } : undefined;
  },
  makeMove(cls, d, s): TInst {
    return { op: 'mov', cls, d, s, ins: true };
  },
  makeSpill(cls, s, slot): TInst {
    return { op: 'spill', cls, s, slot, ins: true };
  },
  makeReload(cls, d, slot): TInst {
    return { op: 'reload', cls, d, slot, ins: true };
  },
  makeJump(t: number): TInst {
    return { op: 'jmp', t, ins: true };
  },
  retargetBranch(i: TInst, from: number, to: number): void {
    if (i.op === 'jmp' && i.t === from) i.t = to;
    if (i.op === 'br') {
      if (i.t === from) i.t = to;
      if (i.f === from) i.f = to;
    }
  },
  format(i: TInst): string {
    return formatInst(i);
  },
};

export const toyIsa = makeToyIsa(toyRegs);
export const wideIsa = makeToyIsa(wideRegs);

function formatInst(i: TInst): string {
    const n = vname;
    switch (i.op) {
      case 'li':
        return `li ${n(i.d)}, ${i.imm}`;
      case 'bin':
        return `${i.kind} ${n(i.d)}, ${n(i.a)}, ${n(i.b)}`;
      case 'acc':
        return `acc ${n(i.d)}, ${n(i.a)}`;
      case 'shl':
        return `shl ${n(i.d)}, ${n(i.a)}, ${n(i.c)}`;
      case 'div':
        return `div ${n(i.q)}, ${n(i.b)} -> rem ${n(i.rem)}`;
      case 'early':
        return `early ${n(i.d)}, ${n(i.a)}, ${n(i.b)}`;
      case 'fli':
        return `fli ${n(i.d)}, ${i.imm}`;
      case 'fbin':
        return `fbin ${n(i.d)}, ${n(i.a)}, ${n(i.b)}`;
      case 'i2f':
        return `i2f ${n(i.d)}, ${n(i.a)}`;
      case 'f2i':
        return `f2i ${n(i.d)}, ${n(i.a)}`;
      case 'call':
        return `call (${[...i.args, ...i.fargs].map(n).join(', ')}) -> ${n(i.res)}${i.fres !== undefined ? `, ${n(i.fres)}` : ''}`;
      case 'mov':
        return `mov ${n(i.d)}, ${n(i.s)}`;
      case 'spill':
        return `spill [${i.slot}], ${n(i.s)}`;
      case 'reload':
        return `reload ${n(i.d)}, [${i.slot}]`;
      case 'out':
        return `out ${n(i.a)}`;
      case 'fout':
        return `fout ${n(i.a)}`;
      case 'sptouch':
        return `sptouch ${n(i.sp)}`;
      case 'jmp':
        return `jmp b${i.t}`;
      case 'br':
        return `br ${n(i.c)}, b${i.t}, b${i.f}`;
      case 'ret':
        return `ret ${n(i.a)}`;
    }
}

export function formatFunc(f: MFunc<TInst>): string {
  return f.blocks
    .map((b, i) => `b${i}: (succs ${b.succs.join(',')}; preds ${b.preds.join(',')})\n` + b.insts.map((x) => '  ' + formatInst(x)).join('\n'))
    .join('\n');
}

export function cloneFunc(f: MFunc<TInst>): MFunc<TInst> {
  return structuredClone(f);
}

export interface RunResult {
  trace: number[];
  end: 'ret' | 'fuel';
  ret?: number;
}

/**
 * Runs `f`. Registers read before any write hold distinct garbage, clobbers write fresh
 * garbage, an EarlyDef writes garbage before reading its operands: any allocation that
 * relies on a value it does not have shows up as a different trace. `fuel` counts
 * original branches, so the allocated code (with extra jumps on split edges) stops at
 * the same point.
 */
export function run(f: MFunc<TInst>, args: [number, number], fuel = 200, isa: ToyIsa = toyIsa): RunResult {
  const regs = new Map<Reg, number>();
  const slots = new Map<number, number>();
  let garbage = 0x5a5a0000;
  const junk = (): number => (garbage = (garbage + 0x9e3779b1) | 0);
  regs.set(R0, args[0]);
  regs.set(R1, args[1]);
  regs.set(SP, 0x1000);
  const get = (r: Reg): number => {
    let x = regs.get(r);
    if (x === undefined) {
      x = junk();
      regs.set(r, x);
    }
    return x;
  };
  const set = (r: Reg, x: number): void => void regs.set(r, x | 0);
  const trace: number[] = [];
  let b = 0;
  let branches = 0;
  for (;;) {
    const block = f.blocks[b]!;
    let next = -1;
    for (const i of block.insts) {
      switch (i.op) {
        case 'li':
        case 'fli':
          set(i.d, i.imm);
          break;
        case 'bin': {
          const x = get(i.a);
          const y = get(i.b);
          set(i.d, i.kind === 'add' ? x + y : i.kind === 'sub' ? x - y : i.kind === 'mul' ? Math.imul(x, y) : x ^ y);
          break;
        }
        case 'acc':
          set(i.d, Math.imul(get(i.d), 3) + get(i.a));
          break;
        case 'shl':
          set(i.d, get(i.a) << (get(i.c) & 7));
          break;
        case 'div': {
          const q = get(i.q);
          const d = get(i.b);
          if (d === 0) {
            set(i.q, q);
            set(i.rem, 0);
          } else {
            set(i.q, Math.trunc(q / d));
            set(i.rem, q % d);
          }
          break;
        }
        case 'early':
          set(i.d, junk());
          set(i.d, get(i.a) - get(i.b));
          break;
        case 'fbin':
          set(i.d, Math.imul(get(i.a), 5) - get(i.b));
          break;
        case 'i2f':
          set(i.d, get(i.a) ^ 0x3f80);
          break;
        case 'f2i':
          set(i.d, get(i.a) + 77);
          break;
        case 'call': {
          const a = i.args.map(get);
          const fa = i.fargs.map(get);
          let h = 17;
          for (const x of [...a, ...fa]) h = Math.imul(h, 31) + x;
          for (const c of isa.clobbers(i)) set(c, junk());
          set(i.res, h);
          if (i.fres !== undefined) set(i.fres, h ^ 0x1234);
          break;
        }
        case 'mov':
          set(i.d, get(i.s));
          break;
        case 'spill':
          slots.set(i.slot, get(i.s));
          break;
        case 'reload': {
          const x = slots.get(i.slot);
          set(i.d, x === undefined ? junk() : x);
          break;
        }
        case 'out':
        case 'fout':
          trace.push(get(i.a));
          break;
        case 'sptouch':
          set(i.sp, get(i.sp));
          break;
        case 'jmp':
          next = i.t;
          break;
        case 'br':
          next = get(i.c) & 1 ? i.t : (i.f as number);
          break;
        case 'ret':
          return { trace, end: 'ret', ret: get(i.a) };
      }
      if (next >= 0) break;
    }
    if (next < 0) throw new Error(`block ${b} falls off its end`);
    const last = block.insts[block.insts.length - 1]!;
    if (!last.ins && ++branches > fuel) return { trace, end: 'fuel' };
    b = next;
  }
}

// ── builders ────────────────────────────────────────────────────────────────────

export class FuncBuilder {
  readonly func: MFunc<TInst> = { name: 'toy', blocks: [], vregClass: [], spillSlots: 0, usedCalleeSaved: [] };

  vreg(cls: RegClass = GPR): Reg {
    this.func.vregClass.push(cls);
    return VREG_BASE + this.func.vregClass.length - 1;
  }

  block(): number {
    this.func.blocks.push({ insts: [], succs: [], preds: [] });
    return this.func.blocks.length - 1;
  }

  emit(b: number, ...insts: TInst[]): void {
    this.func.blocks[b]!.insts.push(...insts);
  }

  /** Fills succs from terminators and preds from succs. */
  finish(): MFunc<TInst> {
    const f = this.func;
    for (const b of f.blocks) {
      const term = b.insts[b.insts.length - 1];
      b.succs = term ? [...toyIsaBase.branchTargets(term)] : [];
      b.preds = [];
    }
    f.blocks.forEach((b, i) => {
      for (const s of new Set(b.succs)) f.blocks[s]!.preds.push(i);
    });
    return f;
  }
}

/** mulberry32 */
export function rng(seed: number): (n: number) => number {
  let a = seed >>> 0;
  return (n: number): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) % n) as number;
  };
}

/** A random function: random CFG (loops, diamonds, critical edges), random non-SSA defs and uses. */
export function randomFunc(seed: number, opts: { maxBlocks?: number; maxInsts?: number; maxG?: number; maxF?: number } = {}): MFunc<TInst> {
  const r = rng(seed);
  const fb = new FuncBuilder();
  const nBlocks = 1 + r(opts.maxBlocks ?? 8);
  const gs: Reg[] = [];
  const fs: Reg[] = [];
  const nG = 2 + r((opts.maxG ?? 12) - 1);
  const nF = 1 + r(opts.maxF ?? 4);
  for (let i = 0; i < nG; i++) gs.push(fb.vreg(GPR));
  for (let i = 0; i < nF; i++) fs.push(fb.vreg(FPR));
  for (let i = 0; i < nBlocks; i++) fb.block();
  const g = (): Reg => gs[r(gs.length)]!;
  const fl = (): Reg => fs[r(fs.length)]!;
  // Entry: arguments from the physical registers, every value defined.
  fb.emit(0, { op: 'mov', cls: GPR, d: gs[0]!, s: R0 }, { op: 'mov', cls: GPR, d: gs[1]!, s: R1 });
  for (let i = 2; i < nG; i++) fb.emit(0, { op: 'li', d: gs[i]!, imm: r(1000) - 500 });
  for (const x of fs) fb.emit(0, { op: 'fli', d: x, imm: r(100) });
  const maxInsts = opts.maxInsts ?? 10;
  for (let b = 0; b < nBlocks; b++) {
    const n = r(maxInsts + 1);
    for (let k = 0; k < n; k++) {
      const kinds: BinKind[] = ['add', 'sub', 'mul', 'xor'];
      let inst: TInst;
      switch (r(16)) {
        case 0:
          inst = { op: 'li', d: g(), imm: r(200) - 100 };
          break;
        case 1:
        case 2:
          inst = { op: 'bin', kind: kinds[r(4)]!, d: g(), a: g(), b: g() };
          break;
        case 3:
          inst = { op: 'acc', d: g(), a: g() };
          break;
        case 4:
          inst = { op: 'shl', d: g(), a: g(), c: g() };
          break;
        case 5: {
          const q = g();
          let rem = g();
          if (rem === q) rem = gs[(gs.indexOf(q) + 1) % gs.length]!;
          inst = { op: 'div', q, b: g(), rem };
          break;
        }
        case 6: {
          // An EarlyDef must be a value distinct from the operands it is written before.
          const a = g();
          const bb = g();
          const d = gs.find((x) => x !== a && x !== bb);
          inst = d === undefined ? { op: 'out', a } : { op: 'early', d, a, b: bb };
          break;
        }
        case 7:
          inst = { op: 'fbin', d: fl(), a: fl(), b: fl() };
          break;
        case 8:
          inst = { op: 'i2f', d: fl(), a: g() };
          break;
        case 9:
          inst = { op: 'f2i', d: g(), a: fl() };
          break;
        case 10: {
          const nargs = r(3);
          const args = Array.from({ length: nargs }, g);
          const fargs = r(2) ? [fl()] : [];
          inst = { op: 'call', args, fargs, res: g(), ...(r(3) === 0 ? { fres: fl() } : {}) };
          break;
        }
        case 11:
          inst = { op: 'mov', cls: GPR, d: g(), s: g() };
          break;
        case 12:
          inst = { op: 'mov', cls: FPR, d: fl(), s: fl() };
          break;
        case 13:
          inst = { op: 'fout', a: fl() };
          break;
        case 14:
          inst = { op: 'sptouch', sp: SP };
          break;
        default:
          inst = { op: 'out', a: g() };
      }
      fb.emit(b, inst);
    }
    // Never branch back to the entry: it reads the incoming argument registers.
    const target = (): number => 1 + r(nBlocks - 1);
    const t = r(10);
    if (nBlocks === 1 || t < 2 || (b === nBlocks - 1 && t < 5)) fb.emit(b, { op: 'ret', a: g() });
    else if (t < 5) fb.emit(b, { op: 'jmp', t: target() });
    else fb.emit(b, { op: 'br', c: g(), t: target(), f: target() });
  }
  return fb.finish();
}
