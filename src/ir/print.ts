/**
 * The IR text format. It round-trips exactly with parse.ts:
 * `printFunc(parseFunc(printFunc(f))) === printFunc(f)`, and parsing keeps block and
 * value numbers, so parse(print(f)) has the same structure as f.
 *
 *   func "name" (i32, i64) -> (i32) {
 *   block0(v0: i32, v1: i64):
 *     v2 = i32.add v0, v0
 *     v3: i32 = call func=3 v2              ; module-dependent results are annotated
 *     i32.store mem=0 offset=8 align=4 v0, v2
 *     br_if v2, block1(v3), block2
 *   block1(v4: i32):
 *     return v4
 *   block2:
 *     trap unreachable
 *   }
 *
 * An instruction is `[results =] name immediates operands [targets]`. Immediates come
 * in the table's order as `key=value`, except constants, trap codes and ref types,
 * which are bare. Floats are printed as in the Wasm text format (`-0`, `inf`,
 * `nan:0x400000`; finite values as the shortest decimal that reads back to the same
 * bits), so NaN payloads survive. `;` starts a comment.
 */
import type { Block, Func, Inst, Value, BlockCall } from './func.js';
import type { ConstExpr, ImportName, IrModule, Limits } from './module.js';
import { OPS, type ImmSpec } from './opcodes.js';
import { trapName, type TrapCode } from './traps.js';
import { f32FromBits, f64FromBits, formatFuncType, type Imm } from './types.js';

export function formatF32(bits: number): string {
  bits >>>= 0;
  const sign = bits >>> 31 ? '-' : '';
  const exp = (bits >>> 23) & 0xff;
  const mant = bits & 0x7fffff;
  if (exp === 0xff) return mant === 0 ? `${sign}inf` : `${sign}nan:0x${mant.toString(16)}`;
  const x = f32FromBits(bits);
  if (x === 0) return `${sign}0`;
  for (let p = 1; p <= 9; p++) {
    const d = Number(x.toPrecision(p));
    if (Math.fround(d) === x) return String(d);
  }
  return String(x);
}

export function formatF64(bits: bigint): string {
  bits = BigInt.asUintN(64, bits);
  const sign = bits >> 63n ? '-' : '';
  const exp = Number((bits >> 52n) & 0x7ffn);
  const mant = bits & 0xfffffffffffffn;
  if (exp === 0x7ff) return mant === 0n ? `${sign}inf` : `${sign}nan:0x${mant.toString(16)}`;
  const x = f64FromBits(bits);
  if (x === 0) return `${sign}0`;
  return String(x);
}

export function formatV128(bytes: Uint8Array): string {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, 16);
  const lanes: string[] = [];
  for (let k = 0; k < 4; k++) lanes.push('0x' + dv.getUint32(k * 4, true).toString(16).padStart(8, '0'));
  return `i32x4 ${lanes.join(' ')}`;
}

/** An immediate's value as printed (without its `key=`). */
export function formatImmValue(spec: ImmSpec, v: Imm): string {
  switch (spec.kind) {
    case 'f32':
      return formatF32(v as number);
    case 'f64':
      return formatF64(v as bigint);
    case 'v128':
      return formatV128(v as Uint8Array);
    case 'shuffle':
      return `[${Array.from(v as Uint8Array).join(' ')}]`;
    case 'align':
      return String(2 ** (v as number));
    case 'trap':
      return trapName(v as TrapCode);
    default:
      return String(v);
  }
}

export function formatImm(spec: ImmSpec, v: Imm): string {
  const text = formatImmValue(spec, v);
  return spec.bare ? text : `${spec.key}=${text}`;
}

const val = (v: Value): string => `v${v}`;

function formatCall(c: BlockCall): string {
  return c.args.length === 0 ? `block${c.block}` : `block${c.block}(${c.args.map(val).join(', ')})`;
}

/** One instruction, without indentation. */
export function formatInst(f: Func, i: Inst): string {
  const d = f.inst(i);
  const info = OPS[d.op];
  if (!info) return `<bad opcode ${d.op}>`;
  let out = '';
  if (d.results.length > 0) {
    const rs = d.results.map((r) => (info.explicitResults ? `${val(r)}: ${f.values[r]?.type ?? '?'}` : val(r)));
    out += `${rs.join(', ')} = `;
  }
  out += info.name;
  info.imms.forEach((spec, k) => {
    const v = d.imms[k];
    out += ' ' + (v === undefined ? '<missing>' : formatImm(spec, v));
  });
  if (d.args.length > 0) out += ' ' + d.args.map(val).join(', ');
  if (d.targets.length > 0) {
    out += d.args.length > 0 ? ', ' : ' ';
    if (info.name === 'br_table') {
      const entries = d.targets.slice(0, -1).map(formatCall);
      out += `[${entries.join(', ')}], ${formatCall(d.targets[d.targets.length - 1]!)}`;
    } else {
      out += d.targets.map(formatCall).join(', ');
    }
  }
  return out;
}

export function formatBlockHeader(f: Func, b: Block): string {
  const params = f.block(b).params;
  if (params.length === 0) return `block${b}:`;
  return `block${b}(${params.map((p) => `${val(p)}: ${f.valueType(p)}`).join(', ')}):`;
}

export function printFunc(f: Func): string {
  const lines = [`func ${JSON.stringify(f.name)} ${formatFuncType(f.sig)} {`];
  for (const b of f.layout) {
    lines.push(formatBlockHeader(f, b));
    for (const i of f.block(b).insts) lines.push(`  ${formatInst(f, i)}`);
  }
  lines.push('}');
  return lines.join('\n') + '\n';
}

/** Several functions, separated by blank lines. */
export function printFuncs(fs: readonly Func[]): string {
  return fs.map(printFunc).join('\n');
}

// --- modules ----------------------------------------------------------------------

/** `(i32.const 8)`, `(ref.func 3)`, `(global.get 0)`, … */
export function formatConstExpr(e: ConstExpr): string {
  switch (e.kind) {
    case 'i32': return `(i32.const ${e.value})`;
    case 'i64': return `(i64.const ${e.value})`;
    case 'f32': return `(f32.const ${formatF32(e.bits)})`;
    case 'f64': return `(f64.const ${formatF64(e.bits)})`;
    case 'v128': return `(v128.const ${formatV128(e.bytes)})`;
    case 'ref.null': return `(ref.null ${e.type})`;
    case 'ref.func': return `(ref.func ${e.func})`;
    case 'global.get': return `(global.get ${e.global})`;
  }
}

/** Bytes as a Wasm-text string: printable ASCII as is, everything else `\hh`. */
export function formatBytes(bytes: Uint8Array): string {
  let out = '"';
  for (const b of bytes) {
    out += b >= 0x20 && b < 0x7f && b !== 0x22 && b !== 0x5c ? String.fromCharCode(b) : '\\' + b.toString(16).padStart(2, '0');
  }
  return out + '"';
}

const formatImport = (i: ImportName | undefined): string => (i ? ` import ${JSON.stringify(i.module)} ${JSON.stringify(i.name)}` : '');
const formatLimits = (l: Limits): string => `min=${l.min}${l.max !== undefined ? ` max=${l.max}` : ''}`;

/**
 * A whole module: declarations, one per line, then the function bodies.
 *
 *   module "name"
 *   type 0 = (i32) -> (i32)
 *   func 0 type=0 "log" import "env" "log"
 *   global 0 mut i32 = (i32.const 0)
 *   memory 0 min=1 max=2
 *   table 0 funcref min=4
 *   data 0 active mem=0 offset=(i32.const 8) "hi\0a"
 *   elem 0 funcref active table=0 offset=(i32.const 0) [(ref.func 1)]
 *   export "main" func 1
 *   start 1
 *
 *   func 1 type=0 "main" (i32) -> (i32) {
 *   block0(v0: i32):
 *     return v0
 *   }
 *
 * A defined function without a body (not translated yet) is a declaration line like
 * an import's, without `import`.
 */
export function printModule(m: IrModule): string {
  const lines: string[] = [];
  if (m.name !== undefined) lines.push(`module ${JSON.stringify(m.name)}`);
  m.types.forEach((t, k) => lines.push(`type ${k} = ${formatFuncType(t)}`));
  m.funcs.forEach((f, k) => {
    if (!f.body) lines.push(`func ${k} type=${f.typeIndex} ${JSON.stringify(f.name)}${formatImport(f.import)}`);
  });
  m.globals.forEach((g, k) => {
    const init = g.init ? ` = ${formatConstExpr(g.init)}` : '';
    lines.push(`global ${k}${g.mutable ? ' mut' : ''} ${g.type}${formatImport(g.import)}${init}`);
  });
  m.memories.forEach((mem, k) => lines.push(`memory ${k} ${formatLimits(mem.limits)}${mem.shared ? ' shared' : ''}${formatImport(mem.import)}`));
  m.tables.forEach((t, k) => lines.push(`table ${k} ${t.elemType} ${formatLimits(t.limits)}${formatImport(t.import)}`));
  m.data.forEach((d, k) => {
    const mode = d.mode.kind === 'active' ? `active mem=${d.mode.memory} offset=${formatConstExpr(d.mode.offset)}` : 'passive';
    lines.push(`data ${k} ${mode} ${formatBytes(d.bytes)}`);
  });
  m.elems.forEach((e, k) => {
    const mode = e.mode.kind === 'active' ? `active table=${e.mode.table} offset=${formatConstExpr(e.mode.offset)}` : e.mode.kind;
    lines.push(`elem ${k} ${e.type} ${mode} [${e.items.map(formatConstExpr).join(', ')}]`);
  });
  for (const e of m.exports) lines.push(`export ${JSON.stringify(e.name)} ${e.kind} ${e.index}`);
  if (m.start !== undefined) lines.push(`start ${m.start}`);
  let out = lines.map((l) => l + '\n').join('');
  m.funcs.forEach((f, k) => {
    if (!f.body) return;
    // Same as printFunc, with the index and type index in the header.
    const body = printFunc(f.body);
    const header = `func ${k} type=${f.typeIndex} ${JSON.stringify(f.body.name)} ${formatFuncType(f.body.sig)} {`;
    out += '\n' + header + body.slice(body.indexOf('\n'));
  });
  return out;
}

