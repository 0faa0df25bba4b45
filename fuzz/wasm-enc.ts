/**
 * A minimal wasm binary writer for the fuzzer's own modules (the `fuzzing-support` helper and
 * the shapes generator): raw bytes, so it can express what binaryen's IR normalises away
 * (block parameters, huge br_tables, any memarg offset).
 */
export type ValT = 'i32' | 'i64' | 'f32' | 'f64';
export const VT: Record<ValT, number> = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c };

export function uleb(n: number | bigint): number[] {
  let v = BigInt(n);
  const out: number[] = [];
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v !== 0n) b |= 0x80;
    out.push(b);
  } while (v !== 0n);
  return out;
}

export function sleb(n: number | bigint): number[] {
  let v = BigInt(n);
  const out: number[] = [];
  for (;;) {
    const b = Number(v & 0x7fn);
    v >>= 7n;
    if ((v === 0n && (b & 0x40) === 0) || (v === -1n && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

function name(s: string): number[] {
  const b = [...new TextEncoder().encode(s)];
  return [...uleb(b.length), ...b];
}

function vec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

export interface FuncDef {
  type: number;
  locals: ValT[];
  body: number[]; // without the final `end`
}

export class ModuleBuilder {
  types: { params: ValT[]; results: ValT[] }[] = [];
  imports: { module: string; name: string; type: number }[] = [];
  funcs: FuncDef[] = [];
  exports: { name: string; kind: 0 | 1 | 2 | 3; index: number }[] = [];
  globals: { type: ValT; mutable: boolean; init: number[] }[] = [];
  memory: { min: number; max?: number } | undefined;
  table: { min: number; max?: number } | undefined;
  /** Active elem segments at a constant offset of table 0. */
  elems: { offset: number; funcs: number[] }[] = [];
  datas: { offset: number; bytes: number[] }[] = [];

  type(params: ValT[], results: ValT[]): number {
    const k = this.types.findIndex((t) => t.params.join() === params.join() && t.results.join() === results.join());
    if (k >= 0) return k;
    this.types.push({ params, results });
    return this.types.length - 1;
  }

  /** Adds a defined function; returns its index in the function index space. */
  func(params: ValT[], results: ValT[], locals: ValT[], body: number[], exportName?: string): number {
    const index = this.imports.length + this.funcs.length;
    this.funcs.push({ type: this.type(params, results), locals, body });
    if (exportName !== undefined) this.exports.push({ name: exportName, kind: 0, index });
    return index;
  }

  global(type: ValT, mutable: boolean, init: number[], exportName?: string): number {
    this.globals.push({ type, mutable, init });
    const index = this.globals.length - 1;
    if (exportName !== undefined) this.exports.push({ name: exportName, kind: 3, index });
    return index;
  }

  encode(): Uint8Array {
    const out: number[] = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
    const section = (id: number, body: number[]): void => {
      out.push(id, ...uleb(body.length), ...body);
    };
    if (this.types.length) section(1, vec(this.types.map((t) => [0x60, ...uleb(t.params.length), ...t.params.map((p) => VT[p]), ...uleb(t.results.length), ...t.results.map((r) => VT[r])])));
    if (this.imports.length) section(2, vec(this.imports.map((im) => [...name(im.module), ...name(im.name), 0x00, ...uleb(im.type)])));
    if (this.funcs.length) section(3, vec(this.funcs.map((f) => uleb(f.type))));
    const limits = (l: { min: number; max?: number }): number[] => (l.max === undefined ? [0x00, ...uleb(l.min)] : [0x01, ...uleb(l.min), ...uleb(l.max)]);
    if (this.table) section(4, vec([[0x70, ...limits(this.table)]]));
    if (this.memory) section(5, vec([limits(this.memory)]));
    if (this.globals.length) section(6, vec(this.globals.map((g) => [VT[g.type], g.mutable ? 1 : 0, ...g.init, 0x0b])));
    if (this.exports.length) section(7, vec(this.exports.map((e) => [...name(e.name), e.kind, ...uleb(e.index)])));
    if (this.elems.length) section(9, vec(this.elems.map((e) => [0x00, 0x41, ...sleb(e.offset), 0x0b, ...vec(e.funcs.map((f) => uleb(f)))])));
    if (this.funcs.length) {
      section(10, vec(this.funcs.map((f) => {
        const groups: number[][] = [];
        for (const l of f.locals) groups.push([1, VT[l]]);
        const body = [...vec(groups), ...f.body, 0x0b];
        return [...uleb(body.length), ...body];
      })));
    }
    if (this.datas.length) section(11, vec(this.datas.map((d) => [0x00, 0x41, ...sleb(d.offset), 0x0b, ...uleb(d.bytes.length), ...d.bytes])));
    return Uint8Array.from(out);
  }
}

/** Opcodes used by the generators (the numeric ones by name). */
export const OP = {
  unreachable: 0x00, nop: 0x01, block: 0x02, loop: 0x03, if: 0x04, else: 0x05, end: 0x0b, br: 0x0c, br_if: 0x0d, br_table: 0x0e,
  return: 0x0f, call: 0x10, call_indirect: 0x11, drop: 0x1a, select: 0x1b,
  local_get: 0x20, local_set: 0x21, local_tee: 0x22, global_get: 0x23, global_set: 0x24,
  i32_load: 0x28, i64_load: 0x29, f32_load: 0x2a, f64_load: 0x2b,
  i32_load8_s: 0x2c, i32_load8_u: 0x2d, i32_load16_s: 0x2e, i32_load16_u: 0x2f,
  i64_load8_s: 0x30, i64_load8_u: 0x31, i64_load16_s: 0x32, i64_load16_u: 0x33, i64_load32_s: 0x34, i64_load32_u: 0x35,
  i32_store: 0x36, i64_store: 0x37, f32_store: 0x38, f64_store: 0x39, i32_store8: 0x3a, i32_store16: 0x3b,
  i64_store8: 0x3c, i64_store16: 0x3d, i64_store32: 0x3e, memory_size: 0x3f, memory_grow: 0x40,
  i32_const: 0x41, i64_const: 0x42, f32_const: 0x43, f64_const: 0x44,
  i32_eqz: 0x45, i32_eq: 0x46, i32_ne: 0x47, i32_lt_s: 0x48, i32_lt_u: 0x49,
  i64_eqz: 0x50, i64_eq: 0x51,
  i32_add: 0x6a, i32_sub: 0x6b, i32_mul: 0x6c, i32_div_s: 0x6d, i32_div_u: 0x6e, i32_rem_s: 0x6f, i32_rem_u: 0x70,
  i32_and: 0x71, i32_or: 0x72, i32_xor: 0x73, i32_shl: 0x74, i32_shr_s: 0x75, i32_shr_u: 0x76, i32_rotl: 0x77, i32_rotr: 0x78,
  i64_add: 0x7c, i64_sub: 0x7d, i64_mul: 0x7e, i64_div_s: 0x7f, i64_div_u: 0x80, i64_rem_s: 0x81, i64_rem_u: 0x82,
  i64_and: 0x83, i64_or: 0x84, i64_xor: 0x85, i64_shl: 0x86, i64_shr_s: 0x87, i64_shr_u: 0x88, i64_rotl: 0x89, i64_rotr: 0x8a,
  i32_wrap_i64: 0xa7, i64_extend_i32_s: 0xac, i64_extend_i32_u: 0xad,
  i32_reinterpret_f32: 0xbc, i64_reinterpret_f64: 0xbd,
} as const;

export function i32c(v: number | bigint): number[] {
  return [OP.i32_const, ...sleb(BigInt.asIntN(32, BigInt(v)))];
}
export function i64c(v: number | bigint): number[] {
  return [OP.i64_const, ...sleb(BigInt.asIntN(64, BigInt(v)))];
}
export function memarg(align: number, offset: number | bigint): number[] {
  return [...uleb(align), ...uleb(offset)];
}
