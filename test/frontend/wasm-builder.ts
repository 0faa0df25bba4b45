/** A tiny assembler for hand-built test binaries: bytes as number arrays, sections by id. */

export type Bytes = number[];

export function u32(n: number): Bytes {
  const out: Bytes = [];
  let v = n >>> 0;
  do {
    let b = v & 0x7f;
    v >>>= 7;
    if (v !== 0) b |= 0x80;
    out.push(b);
  } while (v !== 0);
  return out;
}

export function s32(n: number): Bytes {
  return sleb(BigInt(n | 0));
}

export function sleb(v: bigint): Bytes {
  const out: Bytes = [];
  for (;;) {
    const b = Number(v & 0x7fn);
    v >>= 7n;
    const done = (v === 0n && (b & 0x40) === 0) || (v === -1n && (b & 0x40) !== 0);
    out.push(done ? b : b | 0x80);
    if (done) return out;
  }
}

export function str(s: string): Bytes {
  const b = [...new TextEncoder().encode(s)];
  return [...u32(b.length), ...b];
}

export function vec(items: Bytes[]): Bytes {
  return [...u32(items.length), ...items.flat()];
}

export function section(id: number, content: Bytes): Bytes {
  return [id, ...u32(content.length), ...content];
}

export const HEADER: Bytes = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

export function wasm(...sections: Bytes[]): Uint8Array {
  return new Uint8Array([...HEADER, ...sections.flat()]);
}

export const T = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c, v128: 0x7b, funcref: 0x70, externref: 0x6f } as const;

export function typeSec(...types: [Bytes, Bytes][]): Bytes {
  return section(1, vec(types.map(([p, r]) => [0x60, ...vec(p.map((t) => [t])), ...vec(r.map((t) => [t]))])));
}

export function funcSec(...typeIdx: number[]): Bytes {
  return section(3, vec(typeIdx.map(u32)));
}

export function memSec(min: number, max?: number): Bytes {
  return section(5, vec([max === undefined ? [0, ...u32(min)] : [1, ...u32(min), ...u32(max)]]));
}

export function tableSec(...tables: [number, number, number?][]): Bytes {
  return section(
    4,
    vec(tables.map(([t, min, max]) => (max === undefined ? [t, 0, ...u32(min)] : [t, 1, ...u32(min), ...u32(max)]))),
  );
}

export interface Body {
  locals?: [number, number][];
  code: Bytes;
}

/** `code` excludes the final end (added here). */
export function codeSec(...bodies: Body[]): Bytes {
  return section(
    10,
    vec(
      bodies.map((b) => {
        const body = [...vec((b.locals ?? []).map(([n, t]) => [...u32(n), t])), ...b.code, 0x0b];
        return [...u32(body.length), ...body];
      }),
    ),
  );
}

/** A module with one type, one function of that type, and extra sections placed by id order. */
export function oneFunc(params: Bytes, results: Bytes, code: Bytes, opts: { locals?: [number, number][]; memory?: boolean; extra?: Bytes[] } = {}): Uint8Array {
  const secs: Bytes[] = [typeSec([params, results]), funcSec(0)];
  if (opts.memory) secs.push(memSec(1));
  for (const e of opts.extra ?? []) secs.push(e);
  secs.push(codeSec({ locals: opts.locals, code }));
  secs.sort((a, b) => rank(a[0]!) - rank(b[0]!));
  return wasm(...secs);
}

function rank(id: number): number {
  return id === 12 ? 9.5 : id;
}
