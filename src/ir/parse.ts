/**
 * Parser for the IR text format written by print.ts (see there for the grammar by
 * example). Block and value numbers are kept as written, so printing the result gives
 * back the same text. Errors are values with a 1-based line and column.
 *
 * Lines matter: an instruction or block header ends at the end of its line.
 */
import { Func, type BlockCall, type Value } from './func.js';
import { lookupOp, OPS, type ImmSpec, type OpInfo } from './opcodes.js';
import { trapFromName } from './traps.js';
import { emptyModule, type ConstExpr, type DataSegment, type ElemSegment, type ExternKind, type FuncDecl, type GlobalDecl, type ImportName, type IrModule, type Limits, type MemoryDecl, type TableDecl } from './module.js';
import { f32Bits, f64Bits, isType, type Imm, type RefType, type Type } from './types.js';

export interface ParseError {
  line: number;
  col: number;
  message: string;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: ParseError };

export function formatParseError(e: ParseError, file = '<ir>'): string {
  return `${file}:${e.line}:${e.col}: ${e.message}`;
}

type TokKind = 'word' | 'string' | 'punct' | 'nl' | 'eof';
interface Token {
  kind: TokKind;
  text: string;
  line: number;
  col: number;
}

class Failure extends Error {
  constructor(readonly error: ParseError) {
    super(error.message);
  }
}

const WORD = /[A-Za-z0-9_.$+\-]/;

function tokenize(src: string): Token[] {
  const toks: Token[] = [];
  let line = 1;
  let lineStart = 0;
  let k = 0;
  while (k < src.length) {
    const c = src[k]!;
    const col = k - lineStart + 1;
    if (c === '\n') {
      toks.push({ kind: 'nl', text: '\n', line, col });
      line++;
      lineStart = ++k;
    } else if (c === ' ' || c === '\t' || c === '\r') {
      k++;
    } else if (c === ';') {
      while (k < src.length && src[k] !== '\n') k++;
    } else if (c === '"') {
      let j = k + 1;
      while (j < src.length && src[j] !== '"' && src[j] !== '\n') j += src[j] === '\\' ? 2 : 1;
      if (src[j] !== '"') throw new Failure({ line, col, message: 'unterminated string' });
      toks.push({ kind: 'string', text: src.slice(k, j + 1), line, col });
      k = j + 1;
    } else if (c === '-' && src[k + 1] === '>') {
      toks.push({ kind: 'punct', text: '->', line, col });
      k += 2;
    } else if ('(){}[],=:'.includes(c)) {
      toks.push({ kind: 'punct', text: c, line, col });
      k++;
    } else if (WORD.test(c)) {
      let j = k;
      while (j < src.length && WORD.test(src[j]!)) j++;
      // NaN payloads: `nan:0x400000` is one token.
      if (/^[+-]?nan$/.test(src.slice(k, j)) && src[j] === ':') {
        j++;
        while (j < src.length && WORD.test(src[j]!)) j++;
      }
      toks.push({ kind: 'word', text: src.slice(k, j), line, col });
      k = j;
    } else {
      throw new Failure({ line, col, message: `unexpected character ${JSON.stringify(c)}` });
    }
  }
  toks.push({ kind: 'eof', text: '<end of input>', line, col: k - lineStart + 1 });
  return toks;
}

const VALUE = /^v(\d+)$/;
const BLOCK = /^block(\d+)$/;

class Parser {
  private k = 0;
  constructor(private readonly toks: Token[]) {}

  private peek(offset = 0): Token {
    return this.toks[Math.min(this.k + offset, this.toks.length - 1)]!;
  }
  private next(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.k++;
    return t;
  }
  fail(message: string, t: Token = this.peek()): never {
    throw new Failure({ line: t.line, col: t.col, message });
  }
  private is(text: string): boolean {
    const t = this.peek();
    return (t.kind === 'punct' || t.kind === 'word') && t.text === text;
  }
  private expect(text: string): Token {
    if (!this.is(text)) this.fail(`expected '${text}', found '${this.peek().text}'`);
    return this.next();
  }
  private word(what: string): Token {
    const t = this.peek();
    if (t.kind !== 'word') this.fail(`expected ${what}, found '${t.text}'`);
    return this.next();
  }
  skipNewlines(): void {
    while (this.peek().kind === 'nl') this.next();
  }
  private endOfLine(): void {
    const t = this.peek();
    if (t.kind !== 'nl' && t.kind !== 'eof') this.fail(`unexpected '${t.text}' at end of line`);
    this.skipNewlines();
  }
  atEnd(): boolean {
    return this.peek().kind === 'eof';
  }

  private type(): Type {
    const t = this.word('a type');
    if (!isType(t.text)) this.fail(`unknown type '${t.text}'`, t);
    return t.text;
  }

  private typeList(): Type[] {
    this.expect('(');
    const out: Type[] = [];
    while (!this.is(')')) {
      out.push(this.type());
      if (!this.is(')')) this.expect(',');
    }
    this.expect(')');
    return out;
  }

  private number(re: RegExp, what: string): Token {
    const t = this.word(what);
    if (!re.test(t.text)) this.fail(`expected ${what}, found '${t.text}'`, t);
    return t;
  }

  private valueRef(): { id: number; tok: Token } {
    const t = this.peek();
    const m = t.kind === 'word' ? VALUE.exec(t.text) : null;
    if (!m) this.fail(`expected a value (vN), found '${t.text}'`);
    this.next();
    return { id: Number(m[1]), tok: t };
  }

  private isValue(): boolean {
    const t = this.peek();
    return t.kind === 'word' && VALUE.test(t.text);
  }
  private isBlock(): boolean {
    const t = this.peek();
    return t.kind === 'word' && BLOCK.test(t.text);
  }

  // --- functions --------------------------------------------------------------------

  func(): Func {
    this.skipNewlines();
    this.expect('func');
    return this.funcRest(this.string('the function name'));
  }

  /** Signature and body of a function whose header up to the name has been read. */
  private funcRest(name: string): Func {
    const params = this.typeList();
    this.expect('->');
    const results = this.typeList();
    this.expect('{');
    this.endOfLine();
    return new FuncParser(this, new Func(name, { params, results })).body();
  }

  /** A JSON-quoted string (names). */
  private string(what: string): string {
    const t = this.peek();
    if (t.kind !== 'string') this.fail(`expected ${what} as a string`);
    this.next();
    try {
      return JSON.parse(t.text) as string;
    } catch {
      this.fail('bad string escape', t);
    }
  }

  // --- modules ----------------------------------------------------------------------

  module(): IrModule {
    const m = emptyModule();
    const funcs: (FuncDecl | undefined)[] = [];
    const funcToks: Token[] = [];
    this.skipNewlines();
    if (this.is('module')) {
      this.next();
      m.name = this.string('the module name');
      this.endOfLine();
    }
    while (!this.atEnd()) {
      const t = this.word('a declaration');
      switch (t.text) {
        case 'type': {
          this.index(m.types.length);
          this.expect('=');
          const params = this.typeList();
          this.expect('->');
          m.types.push({ params, results: this.typeList() });
          break;
        }
        case 'func': {
          const k = Number(this.number(/^\d+$/, 'a function index').text);
          if (funcs[k]) this.fail(`func ${k} is declared twice`, t);
          const typeIndex = this.keyIndex('type');
          const name = this.string('the function name');
          const decl: FuncDecl = { typeIndex, name };
          if (this.is('import')) decl.import = this.importName();
          else if (this.is('(')) decl.body = this.funcRest(name);
          funcs[k] = decl;
          funcToks[k] = t;
          if (decl.body) continue; // the body consumed its line
          break;
        }
        case 'global': {
          this.index(m.globals.length);
          const mutable = this.is('mut') ? (this.next(), true) : false;
          const g: GlobalDecl = { type: this.type(), mutable };
          if (this.is('import')) g.import = this.importName();
          else {
            this.expect('=');
            g.init = this.constExpr();
          }
          m.globals.push(g);
          break;
        }
        case 'memory': {
          this.index(m.memories.length);
          const mem: MemoryDecl = { limits: this.limits() };
          if (this.is('shared')) {
            this.next();
            mem.shared = true;
          }
          if (this.is('import')) mem.import = this.importName();
          m.memories.push(mem);
          break;
        }
        case 'table': {
          this.index(m.tables.length);
          const table: TableDecl = { elemType: this.refType(), limits: this.limits() };
          if (this.is('import')) table.import = this.importName();
          m.tables.push(table);
          break;
        }
        case 'data': {
          this.index(m.data.length);
          let mode: DataSegment['mode'] = { kind: 'passive' };
          if (this.is('active')) {
            this.next();
            const memory = this.keyIndex('mem');
            this.expect('offset');
            this.expect('=');
            mode = { kind: 'active', memory, offset: this.constExpr() };
          } else this.expect('passive');
          const bt = this.peek();
          if (bt.kind !== 'string') this.fail('expected the segment bytes as a string');
          this.next();
          m.data.push({ mode, bytes: decodeBytes(bt.text) ?? this.fail('bad byte string escape', bt) });
          break;
        }
        case 'elem': {
          this.index(m.elems.length);
          const type = this.refType();
          let mode: ElemSegment['mode'];
          const mt = this.word('an elem segment mode');
          if (mt.text === 'active') {
            const table = this.keyIndex('table');
            this.expect('offset');
            this.expect('=');
            mode = { kind: 'active', table, offset: this.constExpr() };
          } else if (mt.text === 'passive' || mt.text === 'declarative') {
            mode = { kind: mt.text };
          } else this.fail(`unknown elem segment mode '${mt.text}'`, mt);
          this.expect('[');
          const items: ConstExpr[] = [];
          while (!this.is(']')) {
            items.push(this.constExpr());
            if (!this.is(']')) this.expect(',');
          }
          this.expect(']');
          m.elems.push({ type, mode, items });
          break;
        }
        case 'export': {
          const name = this.string('the export name');
          const kt = this.word('an export kind');
          if (!['func', 'table', 'memory', 'global'].includes(kt.text)) this.fail(`unknown export kind '${kt.text}'`, kt);
          m.exports.push({ name, kind: kt.text as ExternKind, index: Number(this.number(/^\d+$/, 'an index').text) });
          break;
        }
        case 'start':
          m.start = Number(this.number(/^\d+$/, 'a function index').text);
          break;
        default:
          this.fail(`unknown declaration '${t.text}'`, t);
      }
      this.endOfLine();
    }
    for (let k = 0; k < funcs.length; k++) {
      const d = funcs[k];
      if (!d) this.fail(`func ${k} is missing (functions are numbered densely)`, funcToks[funcs.length - 1]);
      m.funcs.push(d);
    }
    return m;
  }

  /** A declaration's index, which must be the next one of its kind. */
  private index(expected: number): void {
    const t = this.number(/^\d+$/, 'an index');
    if (Number(t.text) !== expected) this.fail(`expected index ${expected}, found ${t.text}`, t);
  }

  private keyIndex(key: string): number {
    this.expect(key);
    this.expect('=');
    return Number(this.number(/^\d+$/, 'an index').text);
  }

  private importName(): ImportName {
    this.expect('import');
    const module = this.string('the import module');
    return { module, name: this.string('the import name') };
  }

  private refType(): RefType {
    const t = this.word('a reference type');
    if (t.text !== 'funcref' && t.text !== 'externref') this.fail(`expected funcref or externref, found '${t.text}'`, t);
    return t.text;
  }

  private limits(): Limits {
    const bound = (key: string): bigint => {
      this.expect(key);
      this.expect('=');
      return BigInt(this.number(/^\d+$/, 'a limit').text);
    };
    const limits: Limits = { min: bound('min') };
    if (this.is('max')) limits.max = bound('max');
    return limits;
  }

  private constExpr(): ConstExpr {
    this.expect('(');
    const t = this.word('a constant expression');
    let e: ConstExpr;
    const imm = (kind: ImmSpec['kind']): Imm => this.immediate({ key: 'value', kind, bare: true }, OPS[lookupOp('i32.const')!]!);
    switch (t.text) {
      case 'i32.const': e = { kind: 'i32', value: imm('i32') as number }; break;
      case 'i64.const': e = { kind: 'i64', value: imm('i64') as bigint }; break;
      case 'f32.const': e = { kind: 'f32', bits: imm('f32') as number }; break;
      case 'f64.const': e = { kind: 'f64', bits: imm('f64') as bigint }; break;
      case 'v128.const': e = { kind: 'v128', bytes: imm('v128') as Uint8Array }; break;
      case 'ref.null': e = { kind: 'ref.null', type: this.refType() }; break;
      case 'ref.func': e = { kind: 'ref.func', func: Number(this.number(/^\d+$/, 'a function index').text) }; break;
      case 'global.get': e = { kind: 'global.get', global: Number(this.number(/^\d+$/, 'a global index').text) }; break;
      default: this.fail(`'${t.text}' is not a constant expression`, t);
    }
    this.expect(')');
    return e;
  }

  // Pieces FuncParser uses.
  blockHeaderOrEnd(): { block: number; tok: Token; params: { id: number; type: Type; tok: Token }[] } | undefined {
    if (this.is('}')) {
      this.next();
      this.endOfLine();
      return undefined;
    }
    const tok = this.peek();
    if (!this.isBlock()) this.fail(`expected a block header (blockN:) or '}', found '${tok.text}'`);
    this.next();
    const block = Number(BLOCK.exec(tok.text)![1]);
    const params: { id: number; type: Type; tok: Token }[] = [];
    if (this.is('(')) {
      this.next();
      while (!this.is(')')) {
        const v = this.valueRef();
        this.expect(':');
        params.push({ id: v.id, type: this.type(), tok: v.tok });
        if (!this.is(')')) this.expect(',');
      }
      this.expect(')');
    }
    this.expect(':');
    this.endOfLine();
    return { block, tok, params };
  }

  /** At a block header or the closing brace (i.e. not at an instruction)? */
  atBlockBoundary(): boolean {
    return this.is('}') || (this.isBlock() && (this.peek(1).text === ':' || this.peek(1).text === '('));
  }

  instruction(): ParsedInst {
    const start = this.peek();
    // Results: `v1, v2 =` or `v1: i32, v2: i64 =`.
    const results: { id: number; type?: Type; tok: Token }[] = [];
    if (this.isValue()) {
      for (;;) {
        const v = this.valueRef();
        let type: Type | undefined;
        if (this.is(':')) {
          this.next();
          type = this.type();
        }
        results.push({ id: v.id, type, tok: v.tok });
        if (this.is(',')) {
          this.next();
          continue;
        }
        break;
      }
      this.expect('=');
    }
    const opTok = this.word('an op name');
    const op = lookupOp(opTok.text);
    if (op === undefined) this.fail(`unknown op '${opTok.text}'`, opTok);
    const info = OPS[op]!;
    const imms = info.imms.map((spec) => this.immediate(spec, info));

    // Operands, then branch targets (terminators only).
    const args: { id: number; tok: Token }[] = [];
    const targets: ParsedCall[] = [];
    let table: ParsedCall[] | undefined;
    const item = (): void => {
      if (this.isValue()) {
        if (targets.length > 0 || table) this.fail('operands must come before branch targets');
        args.push(this.valueRef());
      } else if (this.isBlock()) {
        targets.push(this.blockCall());
      } else if (this.is('[') && info.name === 'br_table' && !table) {
        this.next();
        table = [];
        while (!this.is(']')) {
          table.push(this.blockCall());
          if (!this.is(']')) this.expect(',');
        }
        this.expect(']');
      } else {
        this.fail(`expected an operand, found '${this.peek().text}'`);
      }
    };
    if (this.peek().kind !== 'nl' && this.peek().kind !== 'eof') {
      item();
      while (this.is(',')) {
        this.next();
        item();
      }
    }
    this.endOfLine();
    if (info.name === 'br_table') {
      if (!table || targets.length !== 1) this.fail('br_table needs [targets…], default', opTok);
      targets.unshift(...table);
    } else if (!info.terminator && targets.length > 0) {
      this.fail(`${info.name} takes no branch targets`, opTok);
    }
    return { start, opTok, op, info, imms, args, results, targets };
  }

  private blockCall(): ParsedCall {
    const tok = this.next();
    const block = Number(BLOCK.exec(tok.text)![1]);
    const args: { id: number; tok: Token }[] = [];
    if (this.is('(')) {
      this.next();
      while (!this.is(')')) {
        args.push(this.valueRef());
        if (!this.is(')')) this.expect(',');
      }
      this.expect(')');
    }
    return { block, tok, args };
  }

  immediate(spec: ImmSpec, info: OpInfo): Imm {
    if (!spec.bare) {
      const keyTok = this.peek();
      if (keyTok.text !== spec.key) this.fail(`${info.name} expects ${spec.key}=…, found '${keyTok.text}'`);
      this.next();
      this.expect('=');
    }
    const t = this.peek();
    switch (spec.kind) {
      case 'i32': {
        const n = parseInteger(this.word('an i32 constant').text);
        if (n === undefined || n < -(1n << 31n) || n >= 1n << 32n) this.fail('bad i32 constant', t);
        return Number(BigInt.asIntN(32, n));
      }
      case 'i64': {
        const n = parseInteger(this.word('an i64 constant').text);
        if (n === undefined || n < -(1n << 63n) || n >= 1n << 64n) this.fail('bad i64 constant', t);
        return BigInt.asIntN(64, n);
      }
      case 'f32': {
        const bits = parseFloatBits(this.word('an f32 constant').text, 32);
        if (bits === undefined) this.fail('bad f32 constant', t);
        return Number(bits);
      }
      case 'f64': {
        const bits = parseFloatBits(this.word('an f64 constant').text, 64);
        if (bits === undefined) this.fail('bad f64 constant', t);
        return bits;
      }
      case 'v128': {
        this.expect('i32x4');
        const bytes = new Uint8Array(16);
        const dv = new DataView(bytes.buffer);
        for (let k = 0; k < 4; k++) {
          const lt = this.word('an i32 lane');
          const n = parseInteger(lt.text);
          if (n === undefined || n < -(1n << 31n) || n >= 1n << 32n) this.fail('bad i32 lane', lt);
          dv.setUint32(k * 4, Number(BigInt.asUintN(32, n)), true);
        }
        return bytes;
      }
      case 'shuffle': {
        this.expect('[');
        const lanes: number[] = [];
        while (!this.is(']')) lanes.push(Number(this.number(/^\d+$/, 'a lane index').text));
        this.expect(']');
        if (lanes.length !== 16) this.fail('a shuffle needs 16 lane indices', t);
        return Uint8Array.from(lanes);
      }
      case 'lane':
      case 'index':
        return Number(this.number(/^\d+$/, 'an index').text);
      case 'offset': {
        const n = parseInteger(this.word('an offset').text);
        if (n === undefined || n < 0n || n >= 1n << 64n) this.fail('bad offset', t);
        return n;
      }
      case 'align': {
        const n = Number(this.number(/^\d+$/, 'an alignment').text);
        const log = Math.log2(n);
        if (!Number.isInteger(log)) this.fail('alignment must be a power of two', t);
        return log;
      }
      case 'trap': {
        const code = trapFromName(this.word('a trap code').text);
        if (code === undefined) this.fail(`unknown trap code '${t.text}'`, t);
        return code;
      }
      case 'reftype': {
        const w = this.word('a reference type').text;
        if (w !== 'funcref' && w !== 'externref') this.fail(`expected funcref or externref, found '${w}'`, t);
        return w;
      }
    }
  }
}

interface ParsedCall {
  block: number;
  tok: Token;
  args: { id: number; tok: Token }[];
}

interface ParsedInst {
  start: Token;
  opTok: Token;
  op: number;
  info: OpInfo;
  imms: Imm[];
  args: { id: number; tok: Token }[];
  results: { id: number; type?: Type; tok: Token }[];
  targets: ParsedCall[];
}

/** Builds the Func, keeping the numbering from the text. */
class FuncParser {
  private readonly defined = new Set<Value>();
  private readonly firstUse = new Map<Value, Token>();
  private readonly blockRefs: { block: number; tok: Token }[] = [];

  constructor(
    private readonly p: Parser,
    private readonly f: Func,
  ) {}

  private ensureBlock(b: number): void {
    while (this.f.blocks.length <= b) this.f.blocks.push({ params: [], insts: [], live: false });
  }

  private define(id: number, type: Type, kind: 'param' | 'result', owner: number, index: number, tok: Token): Value {
    if (this.defined.has(id)) this.p.fail(`v${id} is defined twice`, tok);
    this.defined.add(id);
    while (this.f.values.length <= id) this.f.values.push({ type: 'i32', kind: 'none', owner: -1, index: 0 });
    this.f.values[id] = { type, kind, owner, index };
    return id;
  }

  private use(id: number, tok: Token): Value {
    if (!this.firstUse.has(id)) this.firstUse.set(id, tok);
    return id;
  }

  body(): Func {
    const { f, p } = this;
    for (;;) {
      const header = p.blockHeaderOrEnd();
      if (!header) break;
      const b = header.block;
      this.ensureBlock(b);
      if (f.blocks[b]!.live) p.fail(`block${b} is defined twice`, header.tok);
      f.blocks[b]!.live = true;
      f.layout.push(b);
      f.blocks[b]!.params = header.params.map((q, k) => this.define(q.id, q.type, 'param', b, k, q.tok));
      while (!p.atBlockBoundary() && !p.atEnd()) this.instruction(b);
    }
    if (f.layout.length === 0) p.fail('a function needs at least one block');
    for (const r of this.blockRefs) if (!f.blocks[r.block]?.live) p.fail(`block${r.block} is not defined`, r.tok);
    for (const [v, tok] of this.firstUse) if (!this.defined.has(v)) p.fail(`v${v} is used but never defined`, tok);
    return f;
  }

  private instruction(b: number): void {
    const { f, p } = this;
    const pi = p.instruction();
    const i = f.insts.length;
    // Result types: annotated, else fixed by the table (or by ref.null's immediate).
    const fixed: readonly Type[] | undefined =
      pi.info.results ?? (pi.info.rule === 'ref.null' ? [pi.imms[0] as Type] : undefined);
    if (fixed && pi.results.length !== fixed.length) {
      p.fail(`${pi.info.name} has ${fixed.length} result(s), ${pi.results.length} written`, pi.opTok);
    }
    const results = pi.results.map((r, k) => {
      const type = r.type ?? fixed?.[k];
      if (type === undefined) this.p.fail(`the type of v${r.id} must be written (v${r.id}: T)`, r.tok);
      return this.define(r.id, type, 'result', i, k, r.tok);
    });
    const targets: BlockCall[] = pi.targets.map((c) => {
      this.blockRefs.push({ block: c.block, tok: c.tok });
      this.ensureBlock(c.block);
      return { block: c.block, args: c.args.map((a) => this.use(a.id, a.tok)) };
    });
    f.insts.push({ op: pi.op, args: pi.args.map((a) => this.use(a.id, a.tok)), imms: pi.imms, results, targets, block: b });
    f.blocks[b]!.insts.push(i);
  }
}

/** Decimal or 0x-hex integer with optional sign (underscores allowed, as in Wasm text). */
function parseInteger(text: string): bigint | undefined {
  const m = /^([+-]?)(0x[0-9a-fA-F_]+|[0-9_]+)$/.exec(text);
  if (!m) return undefined;
  const n = BigInt(m[2]!.replace(/_/g, ''));
  return m[1] === '-' ? -n : n;
}

/** A Wasm-text float (`1.5`, `-0`, `1e+21`, `inf`, `nan`, `-nan:0x8000`) as raw bits. */
export function parseFloatBits(text: string, width: 32 | 64): bigint | undefined {
  const m = /^([+-]?)(.*)$/.exec(text)!;
  const neg = m[1] === '-';
  const body = m[2]!;
  const mantBits = width === 32 ? 23n : 52n;
  const expAll = width === 32 ? 0xffn : 0x7ffn;
  const signBit = neg ? 1n << BigInt(width - 1) : 0n;
  if (body === 'inf') return signBit | (expAll << mantBits);
  if (body === 'nan' || body.startsWith('nan:')) {
    const payload = body === 'nan' ? 1n << (mantBits - 1n) : parseInteger(body.slice(4));
    if (payload === undefined || payload <= 0n || payload >= 1n << mantBits) return undefined;
    return signBit | (expAll << mantBits) | payload;
  }
  if (!/^(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(body)) return undefined;
  const x = Number(body) * (neg ? -1 : 1);
  return width === 32 ? BigInt(f32Bits(x)) : f64Bits(x);
}

function run<T>(src: string, f: (p: Parser) => T): ParseResult<T> {
  try {
    return { ok: true, value: f(new Parser(tokenize(src))) };
  } catch (e) {
    if (e instanceof Failure) return { ok: false, error: e.error };
    throw e;
  }
}

/** Parse exactly one function. */
export function parseFunc(src: string): ParseResult<Func> {
  return run(src, (p) => {
    const f = p.func();
    p.skipNewlines();
    if (!p.atEnd()) p.fail('text after the function');
    return f;
  });
}

/** Parse any number of functions (e.g. a golden file). */
export function parseFuncs(src: string): ParseResult<Func[]> {
  return run(src, (p) => {
    const out: Func[] = [];
    p.skipNewlines();
    while (!p.atEnd()) {
      out.push(p.func());
      p.skipNewlines();
    }
    return out;
  });
}

/** Parse a module printed by printModule. */
export function parseModule(src: string): ParseResult<IrModule> {
  return run(src, (p) => p.module());
}

/** Decode a Wasm-text string literal (with quotes) to bytes; undefined on a bad escape. */
function decodeBytes(lit: string): Uint8Array | undefined {
  const out: number[] = [];
  const body = lit.slice(1, -1);
  const named: Record<string, number> = { n: 10, t: 9, r: 13, '"': 34, "'": 39, '\\': 92 };
  for (let k = 0; k < body.length; k++) {
    const c = body[k]!;
    if (c !== '\\') {
      const ch = String.fromCodePoint(body.codePointAt(k)!);
      out.push(...new TextEncoder().encode(ch));
      k += ch.length - 1;
      continue;
    }
    const n = body[k + 1];
    if (n !== undefined && n in named) {
      out.push(named[n]!);
      k++;
    } else if (/^[0-9a-fA-F]{2}$/.test(body.slice(k + 1, k + 3))) {
      out.push(parseInt(body.slice(k + 1, k + 3), 16));
      k += 2;
    } else return undefined;
  }
  return Uint8Array.from(out);
}
