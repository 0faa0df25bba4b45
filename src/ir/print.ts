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
