/**
 * Relocatable ELF64 (little-endian) object writer shared by both targets.
 *
 * It knows no instruction set: a target hands over finished section bytes and the
 * relocations its encoder recorded (`Reloc` from codebuf.ts); this module maps each
 * `RelocKind` to the machine's R_X86_64_* / R_AARCH64_* number, builds the symbol and
 * string tables and lays the file out. The output depends only on the input (no
 * timestamps, no map iteration over unordered keys), so builds are byte-for-byte
 * reproducible.
 *
 * File layout: ELF header · section contents (in input order, each aligned) ·
 * .rela.* · .symtab · .strtab · .shstrtab · section header table.
 * A `.note.GNU-stack` section is appended unless the input has one.
 * Section header order: null · input sections · .rela.<name> per section with
 * relocations · .symtab · .strtab · .shstrtab.
 * Symbol order (the ELF rule is locals first, sh_info = index of the first global):
 * null · one STT_SECTION symbol per allocated input section · local symbols ·
 * defined global/weak symbols (input order) · undefined symbols (first-reference order).
 */

import type { Reloc, RelocKind } from './codebuf.js';

export type ElfMachine = 'x86_64' | 'aarch64';

/** progbits: bytes in the file; nobits: zero-initialised, size only (.bss); note: SHT_NOTE. */
export type ElfSectionKind = 'progbits' | 'nobits' | 'note';

export interface ElfSectionFlags {
  alloc?: boolean;
  write?: boolean;
  exec?: boolean;
  /** SHF_MERGE | SHF_STRINGS for string-literal pools (needs entsize 1). */
  strings?: boolean;
}

export interface ObjSection {
  name: string;
  /** Default derived from the name: .bss* → nobits, .note.* other than .note.GNU-stack → note, else progbits. */
  kind?: ElfSectionKind;
  /** Default derived from the name (see `defaultFlags`). */
  flags?: ElfSectionFlags;
  /** Power of two; defaults to 1. */
  align?: number;
  /** Contents (progbits/note). */
  bytes?: Uint8Array;
  /** Size of a nobits section (ignored otherwise). */
  size?: number;
  entsize?: number;
  relocs?: readonly Reloc[];
}

export type SymbolBinding = 'local' | 'global' | 'weak';
export type SymbolType = 'func' | 'object' | 'notype';

export interface ObjSymbol {
  name: string;
  /** Name of the defining section (must be one of `sections`). */
  section: string;
  offset: number;
  size: number;
  binding: SymbolBinding;
  type: SymbolType;
  /** STV_HIDDEN keeps a global out of a shared object's dynamic symbol table. */
  hidden?: boolean;
}

export interface ObjectFile {
  machine: ElfMachine;
  sections: readonly ObjSection[];
  symbols: readonly ObjSymbol[];
  /** Optional STT_FILE symbol (source file name) at the head of the locals. */
  fileName?: string;
}

// ── ELF constants ───────────────────────────────────────────────────────────────

const EM_X86_64 = 62;
const EM_AARCH64 = 183;
const ET_REL = 1;

const SHT_PROGBITS = 1;
const SHT_SYMTAB = 2;
const SHT_STRTAB = 3;
const SHT_RELA = 4;
const SHT_NOTE = 7;
const SHT_NOBITS = 8;

const SHF_WRITE = 0x1;
const SHF_ALLOC = 0x2;
const SHF_EXECINSTR = 0x4;
const SHF_MERGE = 0x10;
const SHF_STRINGS = 0x20;
const SHF_INFO_LINK = 0x40;

const STB_LOCAL = 0;
const STB_GLOBAL = 1;
const STB_WEAK = 2;
const STT_NOTYPE = 0;
const STT_OBJECT = 1;
const STT_FUNC = 2;
const STT_SECTION = 3;
const STT_FILE = 4;
const STV_HIDDEN = 2;
const SHN_ABS = 0xfff1;

const EHDR_SIZE = 64;
const SHDR_SIZE = 64;
const SYM_SIZE = 24;
const RELA_SIZE = 24;

interface RelocInfo {
  machine: ElfMachine;
  type: number;
  /** Bytes of the relocated field, for the bounds check. */
  width: number;
}

/** RelocKind → (machine, ELF relocation number). Numbers from the psABI documents. */
export const RELOC_TYPES: Readonly<Record<RelocKind, RelocInfo>> = {
  'x64-abs64': { machine: 'x86_64', type: 1, width: 8 }, // R_X86_64_64
  'x64-pc32': { machine: 'x86_64', type: 2, width: 4 }, // R_X86_64_PC32
  'x64-plt32': { machine: 'x86_64', type: 4, width: 4 }, // R_X86_64_PLT32
  'a64-abs64': { machine: 'aarch64', type: 257, width: 8 }, // R_AARCH64_ABS64
  'a64-adr-prel-pg-hi21': { machine: 'aarch64', type: 275, width: 4 }, // R_AARCH64_ADR_PREL_PG_HI21
  'a64-add-abs-lo12-nc': { machine: 'aarch64', type: 277, width: 4 }, // R_AARCH64_ADD_ABS_LO12_NC
  'a64-jump26': { machine: 'aarch64', type: 282, width: 4 }, // R_AARCH64_JUMP26
  'a64-call26': { machine: 'aarch64', type: 283, width: 4 }, // R_AARCH64_CALL26
};

/** Flags conventionally carried by well-known section names. */
export function defaultFlags(name: string): ElfSectionFlags {
  if (name === '.text' || name.startsWith('.text.')) return { alloc: true, exec: true };
  if (name === '.rodata' || name.startsWith('.rodata.')) return { alloc: true };
  if (name === '.data.rel.ro' || name.startsWith('.data.rel.ro.')) return { alloc: true, write: true };
  if (name === '.data' || name.startsWith('.data.')) return { alloc: true, write: true };
  if (name === '.bss' || name.startsWith('.bss.')) return { alloc: true, write: true };
  if (name === '.note.GNU-stack') return {};
  if (name.startsWith('.note.')) return { alloc: true };
  // Custom sections (trap tables, module metadata) are read by the runtime at run time.
  return { alloc: true };
}

function defaultKind(name: string): ElfSectionKind {
  if (name === '.bss' || name.startsWith('.bss.')) return 'nobits';
  if (name.startsWith('.note.') && name !== '.note.GNU-stack') return 'note';
  return 'progbits';
}

export class ElfError extends Error {
  override name = 'ElfError';
}

/** A string table: NUL first, each distinct string stored once, in first-insertion order. */
class StringTable {
  private parts: Uint8Array[] = [new Uint8Array(1)];
  private size = 1;
  private index = new Map<string, number>();
  private enc = new TextEncoder();

  add(s: string): number {
    if (s === '') return 0;
    const known = this.index.get(s);
    if (known !== undefined) return known;
    const bytes = this.enc.encode(s);
    if (bytes.includes(0)) throw new ElfError(`name contains NUL: ${JSON.stringify(s)}`);
    const at = this.size;
    this.parts.push(bytes, new Uint8Array(1));
    this.size += bytes.length + 1;
    this.index.set(s, at);
    return at;
  }

  bytes(): Uint8Array {
    const out = new Uint8Array(this.size);
    let at = 0;
    for (const p of this.parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }
}

interface SymEntry {
  name: number;
  info: number;
  other: number;
  shndx: number;
  value: number;
  size: number;
}

interface SectionHeader {
  name: number;
  type: number;
  flags: number;
  offset: number;
  size: number;
  link: number;
  info: number;
  align: number;
  entsize: number;
  /** File contents (absent for nobits and the null section). */
  data?: Uint8Array;
}

function isPow2(n: number): boolean {
  return Number.isInteger(n) && n > 0 && (n & (n - 1)) === 0;
}

function alignUp(n: number, a: number): number {
  return Math.ceil(n / a) * a;
}

function flagBits(f: ElfSectionFlags): number {
  return (
    (f.write ? SHF_WRITE : 0) |
    (f.alloc ? SHF_ALLOC : 0) |
    (f.exec ? SHF_EXECINSTR : 0) |
    (f.strings ? SHF_MERGE | SHF_STRINGS : 0)
  );
}

/** Serialises `obj` as an ELF64 relocatable object. Throws ElfError on inconsistent input. */
export function writeElfObject(obj: ObjectFile): Uint8Array {
  const shstr = new StringTable();
  const strtab = new StringTable();
  const headers: SectionHeader[] = [
    { name: 0, type: 0, flags: 0, offset: 0, size: 0, link: 0, info: 0, align: 0, entsize: 0 },
  ];

  // Input sections: header indices 1..n.
  // Every object says its stack need not be executable; otherwise ld assumes it must be.
  const sections = obj.sections.some((s) => s.name === '.note.GNU-stack')
    ? obj.sections
    : [...obj.sections, gnuStackSection()];
  const sectionIndex = new Map<string, number>();
  sections.forEach((s, i) => {
    if (sectionIndex.has(s.name)) throw new ElfError(`duplicate section ${s.name}`);
    sectionIndex.set(s.name, i + 1);
    const kind = s.kind ?? defaultKind(s.name);
    const align = s.align ?? 1;
    if (!isPow2(align)) throw new ElfError(`section ${s.name}: alignment ${align} is not a power of two`);
    let size: number;
    let data: Uint8Array | undefined;
    if (kind === 'nobits') {
      if (s.bytes && s.bytes.some((b) => b !== 0)) throw new ElfError(`nobits section ${s.name} has non-zero bytes`);
      size = s.size ?? s.bytes?.length ?? 0;
      if ((s.relocs?.length ?? 0) > 0) throw new ElfError(`nobits section ${s.name} cannot have relocations`);
    } else {
      data = s.bytes ?? new Uint8Array(0);
      size = data.length;
    }
    const flags = s.flags ?? defaultFlags(s.name);
    headers.push({
      name: shstr.add(s.name),
      type: kind === 'nobits' ? SHT_NOBITS : kind === 'note' ? SHT_NOTE : SHT_PROGBITS,
      flags: flagBits(flags),
      offset: 0,
      size,
      link: 0,
      info: 0,
      align,
      entsize: s.entsize ?? (flags.strings ? 1 : 0),
      data,
    });
  });
  const sizeOf = (secIdx: number): number => headers[secIdx]!.size;

  // ── symbols ──
  const syms: SymEntry[] = [{ name: 0, info: 0, other: 0, shndx: 0, value: 0, size: 0 }];
  if (obj.fileName !== undefined) {
    syms.push({ name: strtab.add(obj.fileName), info: (STB_LOCAL << 4) | STT_FILE, other: 0, shndx: SHN_ABS, value: 0, size: 0 });
  }
  const sectionSym = new Map<string, number>();
  sections.forEach((s) => {
    const idx = sectionIndex.get(s.name)!;
    if ((headers[idx]!.flags & SHF_ALLOC) === 0) return;
    sectionSym.set(s.name, syms.length);
    syms.push({ name: 0, info: (STB_LOCAL << 4) | STT_SECTION, other: 0, shndx: idx, value: 0, size: 0 });
  });

  const symIndex = new Map<string, number>();
  const seen = new Set<string>();
  for (const s of obj.symbols) {
    if (seen.has(s.name)) throw new ElfError(`duplicate symbol ${s.name}`);
    seen.add(s.name);
  }
  const typeBits = (t: SymbolType): number => (t === 'func' ? STT_FUNC : t === 'object' ? STT_OBJECT : STT_NOTYPE);
  const pushDefined = (s: ObjSymbol): void => {
    const shndx = sectionIndex.get(s.section);
    if (shndx === undefined) throw new ElfError(`symbol ${s.name}: unknown section ${s.section}`);
    if (s.offset < 0 || s.size < 0 || s.offset + s.size > sizeOf(shndx)) {
      throw new ElfError(`symbol ${s.name}: [${s.offset}, +${s.size}) lies outside ${s.section} (size ${sizeOf(shndx)})`);
    }
    if (s.name === '') throw new ElfError('symbol with an empty name');
    const bind = s.binding === 'local' ? STB_LOCAL : s.binding === 'weak' ? STB_WEAK : STB_GLOBAL;
    symIndex.set(s.name, syms.length);
    syms.push({
      name: strtab.add(s.name),
      info: (bind << 4) | typeBits(s.type),
      other: s.hidden ? STV_HIDDEN : 0,
      shndx,
      value: s.offset,
      size: s.size,
    });
  };
  for (const s of obj.symbols) if (s.binding === 'local') pushDefined(s);
  const firstGlobal = syms.length;
  for (const s of obj.symbols) if (s.binding !== 'local') pushDefined(s);

  // Resolve relocation targets: a defined symbol, else a section (via its section symbol),
  // else a new undefined global.
  const resolve = (name: string): number => {
    const known = symIndex.get(name) ?? sectionSym.get(name);
    if (known !== undefined) return known;
    if (name === '') throw new ElfError('relocation against an empty symbol name');
    const idx = syms.length;
    syms.push({ name: strtab.add(name), info: (STB_GLOBAL << 4) | STT_NOTYPE, other: 0, shndx: 0, value: 0, size: 0 });
    symIndex.set(name, idx);
    return idx;
  };

  const relaSections: { target: number; name: string; data: Uint8Array }[] = [];
  sections.forEach((s) => {
    const relocs = s.relocs ?? [];
    if (relocs.length === 0) return;
    const target = sectionIndex.get(s.name)!;
    const data = new Uint8Array(relocs.length * RELA_SIZE);
    const view = new DataView(data.buffer);
    relocs.forEach((r, i) => {
      const info = RELOC_TYPES[r.kind];
      if (!info) throw new ElfError(`unknown relocation kind ${String(r.kind)}`);
      if (info.machine !== obj.machine) throw new ElfError(`relocation ${r.kind} in a ${obj.machine} object`);
      if (!Number.isInteger(r.offset) || r.offset < 0 || r.offset + info.width > sizeOf(target)) {
        throw new ElfError(`relocation at ${s.name}+${r.offset} lies outside the section`);
      }
      if (!Number.isSafeInteger(r.addend)) throw new ElfError(`relocation addend ${r.addend} is not an integer`);
      const sym = resolve(r.symbol);
      const at = i * RELA_SIZE;
      view.setBigUint64(at, BigInt(r.offset), true);
      view.setBigUint64(at + 8, (BigInt(sym) << 32n) | BigInt(info.type), true);
      view.setBigInt64(at + 16, BigInt(r.addend), true);
    });
    relaSections.push({ target, name: `.rela${s.name}`, data });
  });

  const symtabIndex = headers.length + relaSections.length;
  for (const r of relaSections) {
    headers.push({
      name: shstr.add(r.name),
      type: SHT_RELA,
      flags: SHF_INFO_LINK,
      offset: 0,
      size: r.data.length,
      link: symtabIndex,
      info: r.target,
      align: 8,
      entsize: RELA_SIZE,
      data: r.data,
    });
  }

  const symData = new Uint8Array(syms.length * SYM_SIZE);
  {
    const v = new DataView(symData.buffer);
    syms.forEach((s, i) => {
      const at = i * SYM_SIZE;
      v.setUint32(at, s.name, true);
      v.setUint8(at + 4, s.info);
      v.setUint8(at + 5, s.other);
      v.setUint16(at + 6, s.shndx, true);
      v.setBigUint64(at + 8, BigInt(s.value), true);
      v.setBigUint64(at + 16, BigInt(s.size), true);
    });
  }
  const symtabName = shstr.add('.symtab');
  const strtabName = shstr.add('.strtab');
  const shstrtabName = shstr.add('.shstrtab');
  headers.push({
    name: symtabName,
    type: SHT_SYMTAB,
    flags: 0,
    offset: 0,
    size: symData.length,
    link: symtabIndex + 1,
    info: firstGlobal,
    align: 8,
    entsize: SYM_SIZE,
    data: symData,
  });
  const strData = strtab.bytes();
  headers.push({ name: strtabName, type: SHT_STRTAB, flags: 0, offset: 0, size: strData.length, link: 0, info: 0, align: 1, entsize: 0, data: strData });
  const shstrIndex = headers.length;
  // The .shstrtab must contain its own name before it is serialised: all names are added above.
  const shstrData = shstr.bytes();
  headers.push({ name: shstrtabName, type: SHT_STRTAB, flags: 0, offset: 0, size: shstrData.length, link: 0, info: 0, align: 1, entsize: 0, data: shstrData });

  // ── layout ──
  let pos = EHDR_SIZE;
  for (let i = 1; i < headers.length; i++) {
    const h = headers[i]!;
    pos = alignUp(pos, Math.max(1, h.align));
    h.offset = pos;
    if (h.data) pos += h.data.length;
  }
  const shoff = alignUp(pos, 8);
  const total = shoff + headers.length * SHDR_SIZE;
  if (headers.length >= 0xff00) throw new ElfError('too many sections');

  const out = new Uint8Array(total);
  const v = new DataView(out.buffer);
  out.set([0x7f, 0x45, 0x4c, 0x46, 2 /* ELFCLASS64 */, 1 /* little-endian */, 1 /* EV_CURRENT */, 0 /* SYSV */], 0);
  v.setUint16(16, ET_REL, true);
  v.setUint16(18, obj.machine === 'x86_64' ? EM_X86_64 : EM_AARCH64, true);
  v.setUint32(20, 1, true);
  v.setBigUint64(24, 0n, true); // e_entry
  v.setBigUint64(32, 0n, true); // e_phoff
  v.setBigUint64(40, BigInt(shoff), true);
  v.setUint32(48, 0, true); // e_flags
  v.setUint16(52, EHDR_SIZE, true);
  v.setUint16(54, 0, true); // e_phentsize
  v.setUint16(56, 0, true); // e_phnum
  v.setUint16(58, SHDR_SIZE, true);
  v.setUint16(60, headers.length, true);
  v.setUint16(62, shstrIndex, true);

  headers.forEach((h, i) => {
    if (h.data) out.set(h.data, h.offset);
    const at = shoff + i * SHDR_SIZE;
    v.setUint32(at, h.name, true);
    v.setUint32(at + 4, h.type, true);
    v.setBigUint64(at + 8, BigInt(h.flags), true);
    v.setBigUint64(at + 16, 0n, true); // sh_addr
    v.setBigUint64(at + 24, BigInt(i === 0 ? 0 : h.offset), true);
    v.setBigUint64(at + 32, BigInt(h.size), true);
    v.setUint32(at + 40, h.link, true);
    v.setUint32(at + 44, h.info, true);
    v.setBigUint64(at + 48, BigInt(h.align), true);
    v.setBigUint64(at + 56, BigInt(h.entsize), true);
  });
  return out;
}

/** The empty, non-allocated section that tells the linker this object needs no executable stack. */
export function gnuStackSection(): ObjSection {
  return { name: '.note.GNU-stack', kind: 'progbits', flags: {}, align: 1, bytes: new Uint8Array(0) };
}
