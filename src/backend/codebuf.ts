/**
 * A growable byte buffer for one function's (or one section's) machine code, shared by
 * both targets. It knows no instruction set: a target's encoder writes bytes, asks for
 * labels, and records three kinds of side facts:
 *   - label fixups: a branch whose displacement is known only once its label is bound;
 *     the target supplies the patch function (rel32 on x86-64, imm26/imm19 on AArch64);
 *   - relocations: references to symbols resolved by the linker (calls to other
 *     functions, runtime helpers, read-only data), passed through to the ELF writer;
 *   - trap sites: code offsets where a hardware fault or a trap instruction means a
 *     particular wasm trap, so the runtime's signal handler can name it.
 */

export type Label = number;

/** Patches the instruction bytes at `at` so that it refers to `target`. Throws if out of range. */
export type FixupPatcher = (bytes: Uint8Array, at: number, target: number) => void;

/** Relocation kinds both the encoders and the ELF writer agree on. */
export type RelocKind =
  | 'x64-pc32' // R_X86_64_PC32: S + A - P, 32-bit signed
  | 'x64-plt32' // R_X86_64_PLT32: calls
  | 'x64-abs64' // R_X86_64_64: absolute 64-bit address
  | 'a64-call26' // R_AARCH64_CALL26 (bl)
  | 'a64-jump26' // R_AARCH64_JUMP26 (b)
  | 'a64-adr-prel-pg-hi21' // R_AARCH64_ADR_PREL_PG_HI21 (adrp)
  | 'a64-add-abs-lo12-nc' // R_AARCH64_ADD_ABS_LO12_NC (add :lo12:)
  | 'a64-abs64'; // R_AARCH64_ABS64

export interface Reloc {
  /** Offset of the field to relocate, within this buffer. */
  offset: number;
  kind: RelocKind;
  symbol: string;
  addend: number;
}

export interface TrapSite {
  /** Offset of the instruction that faults (or of the trap instruction itself). */
  offset: number;
  /** A trap code from src/ir/traps.ts. */
  code: number;
}

interface Fixup {
  at: number;
  label: Label;
  patch: FixupPatcher;
}

export interface FinishedCode {
  bytes: Uint8Array;
  relocs: Reloc[];
  trapSites: TrapSite[];
  /** Offset of every label, for listings and tests. */
  labelOffsets: number[];
}

export class CodeBuffer {
  private buf = new Uint8Array(256);
  private len = 0;
  private labels: number[] = [];
  private fixups: Fixup[] = [];
  private relocs: Reloc[] = [];
  private traps: TrapSite[] = [];

  get offset(): number {
    return this.len;
  }

  private reserve(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.len + n) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  emit8(v: number): void {
    this.reserve(1);
    this.buf[this.len++] = v & 0xff;
  }

  emit16(v: number): void {
    this.reserve(2);
    this.buf[this.len++] = v & 0xff;
    this.buf[this.len++] = (v >>> 8) & 0xff;
  }

  emit32(v: number): void {
    this.reserve(4);
    for (let i = 0; i < 4; i++) this.buf[this.len++] = (v >>> (8 * i)) & 0xff;
  }

  emit64(v: bigint): void {
    const u = BigInt.asUintN(64, v);
    this.emit32(Number(u & 0xffffffffn));
    this.emit32(Number(u >> 32n));
  }

  emitBytes(bytes: ArrayLike<number>): void {
    this.reserve(bytes.length);
    for (let i = 0; i < bytes.length; i++) this.buf[this.len++] = bytes[i]! & 0xff;
  }

  /** Pads with `fill` bytes until the offset is a multiple of `align`. */
  align(align: number, fill = 0): void {
    while (this.len % align !== 0) this.emit8(fill);
  }

  read32(at: number): number {
    const b = this.buf;
    return (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
  }

  patch32(at: number, v: number): void {
    for (let i = 0; i < 4; i++) this.buf[at + i] = (v >>> (8 * i)) & 0xff;
  }

  newLabel(): Label {
    this.labels.push(-1);
    return this.labels.length - 1;
  }

  bindLabel(label: Label): void {
    if (this.labels[label] !== -1) throw new Error(`label ${label} bound twice`);
    this.labels[label] = this.len;
  }

  isBound(label: Label): boolean {
    return this.labels[label] !== -1;
  }

  labelOffset(label: Label): number {
    const off = this.labels[label];
    if (off === undefined || off < 0) throw new Error(`label ${label} is not bound`);
    return off;
  }

  /** Records that the instruction at `at` refers to `label`; patched in finish(). */
  useLabel(label: Label, at: number, patch: FixupPatcher): void {
    this.fixups.push({ at, label, patch });
  }

  addReloc(offset: number, kind: RelocKind, symbol: string, addend = 0): void {
    this.relocs.push({ offset, kind, symbol, addend });
  }

  /** Marks the instruction starting at `offset` (default: the current offset) as a trap site. */
  addTrapSite(code: number, offset = this.len): void {
    this.traps.push({ offset, code });
  }

  /** Resolves every label fixup and returns the finished code. */
  finish(): FinishedCode {
    const bytes = this.buf.slice(0, this.len);
    for (const f of this.fixups) f.patch(bytes, f.at, this.labelOffset(f.label));
    return {
      bytes,
      relocs: this.relocs.slice(),
      trapSites: this.traps.slice().sort((a, b) => a.offset - b.offset),
      labelOffsets: this.labels.slice(),
    };
  }
}
