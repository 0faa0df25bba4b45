/**
 * `kiln inspect`: a plain, JSON-able summary of a decoded module and a human
 * rendering of it. Works on decoded (not necessarily valid) modules, so nothing here
 * may assume that indices are in range.
 */
import {
  funcTypeToString,
  valTypeName,
  type ConstExpr,
  type ExternKind,
  type ImportDesc,
  type Limits,
  type WasmModule,
} from './module.js';
import { formatInstr, Kind, OPS } from './opcodes.js';
import { instrImms, type ValidatedFunc } from './validate.js';

export interface InspectReport {
  /** Module size in bytes. */
  size: number;
  sections: { id: number; name: string; offset: number; size: number }[];
  types: { index: number; signature: string }[];
  imports: { module: string; name: string; kind: ExternKind; desc: string }[];
  exports: { name: string; kind: ExternKind; index: number }[];
  functions: { imported: number; defined: number; totalCodeSize: number };
  memories: { index: number; imported: boolean; min: number; max: number | null }[];
  tables: { index: number; imported: boolean; elem: string; min: number; max: number | null }[];
  globals: { index: number; imported: boolean; type: string; mutable: boolean; init: string | null }[];
  start: number | null;
  datacount: number | null;
  data: {
    count: number;
    totalBytes: number;
    segments: { index: number; mode: 'active' | 'passive'; memory: number; offset: string | null; size: number }[];
  };
  elems: {
    count: number;
    segments: { index: number; mode: string; table: number | null; type: string; offset: string | null; count: number }[];
  };
  customs: { name: string; offset: number; size: number }[];
  names: { module: string | null; functions: { index: number; name: string }[]; error: string | null } | null;
}

function constExprText(e: ConstExpr | null): string | null {
  if (!e) return null;
  return e.instrs
    .map((i) => {
      switch (i.op) {
        case 'i32.const':
        case 'i64.const':
          return `${i.op} ${i.value}`;
        case 'f32.const':
          return `f32.const bits=0x${i.bits.toString(16).padStart(8, '0')}`;
        case 'f64.const':
          return `f64.const bits=0x${i.bits.toString(16).padStart(16, '0')}`;
        case 'v128.const':
          return `v128.const 0x${[...i.bytes].reverse().map((b) => b.toString(16).padStart(2, '0')).join('')}`;
        case 'ref.null':
          return `ref.null ${valTypeName(i.type)}`;
        case 'ref.func':
          return `ref.func ${i.func}`;
        case 'global.get':
          return `global.get ${i.global}`;
        case 'other':
          return `${i.name} …`;
      }
    })
    .join('; ');
}

function descText(m: WasmModule, d: ImportDesc): string {
  switch (d.kind) {
    case 'func': {
      const t = m.types[d.type];
      return `type ${d.type}${t ? ` ${funcTypeToString(t)}` : ''}`;
    }
    case 'table':
      return `${valTypeName(d.table.elem)} ${limitsText(d.table.limits)}`;
    case 'memory':
      return limitsText(d.memory.limits);
    case 'global':
      return `${d.global.mutable ? 'mut ' : ''}${valTypeName(d.global.type)}`;
  }
}

function limitsText(l: Limits): string {
  return l.max === null ? `min ${l.min}` : `min ${l.min} max ${l.max}`;
}

export function inspectModule(m: WasmModule, bytes: Uint8Array = m.bytes): InspectReport {
  const imports = m.imports.map((i) => ({ module: i.module, name: i.name, kind: i.desc.kind, desc: descText(m, i.desc) }));
  const memories: InspectReport['memories'] = m.memorySpace.map((mt, index) => ({
    index,
    imported: index < m.numImportedMemories,
    min: mt.limits.min,
    max: mt.limits.max,
  }));
  const tables: InspectReport['tables'] = m.tableSpace.map((t, index) => ({
    index,
    imported: index < m.numImportedTables,
    elem: valTypeName(t.elem),
    min: t.limits.min,
    max: t.limits.max,
  }));
  const globals: InspectReport['globals'] = m.globalSpace.map((g, index) => ({
    index,
    imported: index < m.numImportedGlobals,
    type: valTypeName(g.type),
    mutable: g.mutable,
    init: index < m.numImportedGlobals ? null : constExprText(m.globals[index - m.numImportedGlobals]!.init),
  }));
  let totalCodeSize = 0;
  for (const f of m.funcs) totalCodeSize += f.bodyEnd - f.bodyStart;
  let totalBytes = 0;
  const dataSegs = m.datas.map((d, index) => {
    totalBytes += d.end - d.start;
    return { index, mode: d.mode, memory: d.memory, offset: constExprText(d.offsetExpr), size: d.end - d.start };
  });
  const elemSegs = m.elems.map((s, index) => ({
    index,
    mode: s.mode,
    table: s.mode === 'active' ? s.table : null,
    type: valTypeName(s.type),
    offset: constExprText(s.offsetExpr),
    count: s.funcs ? s.funcs.length : (s.exprs?.length ?? 0),
  }));
  return {
    size: bytes.length,
    sections: m.sections.map((s) => ({ id: s.id, name: s.name, offset: s.offset, size: s.size })),
    types: m.types.map((t, index) => ({ index, signature: funcTypeToString(t) })),
    imports,
    exports: m.exports.map((e) => ({ name: e.name, kind: e.kind, index: e.index })),
    functions: { imported: m.numImportedFuncs, defined: m.funcs.length, totalCodeSize },
    memories,
    tables,
    globals,
    start: m.start,
    datacount: m.datacount,
    data: { count: m.datas.length, totalBytes, segments: dataSegs },
    elems: { count: m.elems.length, segments: elemSegs },
    customs: m.customs.map((c) => ({ name: c.name, offset: c.offset, size: c.end - c.start })),
    names: m.names
      ? {
          module: m.names.module,
          functions: [...m.names.functions].sort((a, b) => a[0] - b[0]).map(([index, name]) => ({ index, name })),
          error: m.names.error,
        }
      : null,
  };
}

const LIST_LIMIT = 50;

function hex(n: number): string {
  return `0x${n.toString(16)}`;
}

/** Human-readable rendering; long lists are cut at LIST_LIMIT entries with a count of the rest. */
export function formatInspect(r: InspectReport): string {
  const out: string[] = [];
  const list = <T>(title: string, items: T[], line: (x: T) => string) => {
    out.push(`${title} (${items.length}):`);
    for (const x of items.slice(0, LIST_LIMIT)) out.push(`  ${line(x)}`);
    if (items.length > LIST_LIMIT) out.push(`  … ${items.length - LIST_LIMIT} more`);
  };
  const fnName = new Map((r.names?.functions ?? []).map((f) => [f.index, f.name]));
  out.push(`module: ${r.size} bytes${r.names?.module ? `, name "${r.names.module}"` : ''}`);
  list('sections', r.sections, (s) => `${s.name.padEnd(9)} id ${String(s.id).padStart(2)}  at ${hex(s.offset)}  size ${s.size}`);
  list('types', r.types, (t) => `${t.index}: ${t.signature}`);
  list('imports', r.imports, (i) => `${i.kind.padEnd(6)} "${i.module}" "${i.name}": ${i.desc}`);
  out.push(
    `functions: ${r.functions.imported} imported, ${r.functions.defined} defined, ${r.functions.totalCodeSize} bytes of code`,
  );
  list('tables', r.tables, (t) => `${t.index}: ${t.elem} min ${t.min}${t.max === null ? '' : ` max ${t.max}`}${t.imported ? ' (imported)' : ''}`);
  list('memories', r.memories, (m) => `${m.index}: min ${m.min}${m.max === null ? '' : ` max ${m.max}`} pages${m.imported ? ' (imported)' : ''}`);
  list(
    'globals',
    r.globals,
    (g) => `${g.index}: ${g.mutable ? 'mut ' : ''}${g.type}${g.imported ? ' (imported)' : ` = ${g.init}`}`,
  );
  list('exports', r.exports, (e) => {
    const n = e.kind === 'func' ? fnName.get(e.index) : undefined;
    return `"${e.name}": ${e.kind} ${e.index}${n ? ` <${n}>` : ''}`;
  });
  if (r.start !== null) out.push(`start: function ${r.start}${fnName.has(r.start) ? ` <${fnName.get(r.start)}>` : ''}`);
  list(`data segments, ${r.data.totalBytes} bytes`, r.data.segments, (d) =>
    d.mode === 'active' ? `${d.index}: active memory ${d.memory} at (${d.offset}), ${d.size} bytes` : `${d.index}: passive, ${d.size} bytes`,
  );
  if (r.datacount !== null) out.push(`data count: ${r.datacount}`);
  list('element segments', r.elems.segments, (s) =>
    s.mode === 'active'
      ? `${s.index}: active table ${s.table} at (${s.offset}), ${s.count} × ${s.type}`
      : `${s.index}: ${s.mode}, ${s.count} × ${s.type}`,
  );
  list('custom sections', r.customs, (c) => `"${c.name}" at ${hex(c.offset)}, ${c.size} bytes`);
  if (r.names) {
    list('function names', r.names.functions, (f) => `${f.index}: ${f.name}`);
    if (r.names.error) out.push(`name section: decoding stopped: ${r.names.error}`);
  }
  return out.join('\n') + '\n';
}

/**
 * A validated function as flat text, one instruction per line with its module offset;
 * `;; unreachable` marks instructions in unreachable code.
 */
export function disassembleFunction(f: ValidatedFunc): string {
  const lines: string[] = [];
  let depth = 1;
  for (let i = 0; i < f.count; i++) {
    const id = f.ops[i]!;
    const kind = OPS[id]!.kind;
    if (kind === Kind.End || kind === Kind.Else) depth--;
    const note = f.flags[i] ? '  ;; unreachable' : '';
    lines.push(`${f.offsets[i]!.toString(16).padStart(6, '0')}: ${'  '.repeat(Math.max(0, depth))}${formatInstr(id, instrImms(f, i))}${note}`);
    if (kind === Kind.Block || kind === Kind.Loop || kind === Kind.If || kind === Kind.Else) depth++;
  }
  return lines.join('\n') + '\n';
}
