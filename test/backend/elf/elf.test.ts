import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Reloc } from '../../../src/backend/codebuf.js';
import { ElfError, writeElfObject, type ObjectFile } from '../../../src/backend/elf.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kiln-elf-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function le32(...words: number[]): Uint8Array {
  const out = new Uint8Array(words.length * 4);
  const v = new DataView(out.buffer);
  words.forEach((w, i) => v.setUint32(i * 4, w >>> 0, true));
  return out;
}

function cat(...parts: ArrayLike<number>[]): Uint8Array {
  const out: number[] = [];
  for (const p of parts) for (let i = 0; i < p.length; i++) out.push(p[i]!);
  return Uint8Array.from(out);
}

const enc = new TextEncoder();

/**
 * x86-64 object:
 *   kiln_add:      lea eax,[rdi+rsi]; ret
 *   kiln_call_ext: sub rsp,8; call ext_hook@PLT; add rsp,8; ret
 *   kiln_msg:      lea rax,[rip+msg]; ret               (PC32 to a local .rodata symbol)
 *   kiln_table:    .quad kiln_add                       (ABS64 in .data.rel.ro)
 *   kiln_counter:  8 bytes of .bss
 */
function x64Object(): ObjectFile {
  const add = [0x8d, 0x04, 0x37, 0xc3];
  const callExt = [0x48, 0x83, 0xec, 0x08, 0xe8, 0, 0, 0, 0, 0x48, 0x83, 0xc4, 0x08, 0xc3];
  const msg = [0x48, 0x8d, 0x05, 0, 0, 0, 0, 0xc3];
  const text = cat(add, callExt, msg);
  const relocs: Reloc[] = [
    { offset: 4 + 5, kind: 'x64-plt32', symbol: 'ext_hook', addend: -4 },
    { offset: 4 + 14 + 3, kind: 'x64-pc32', symbol: 'msg', addend: -4 },
  ];
  return {
    machine: 'x86_64',
    fileName: 'kiln-test.wasm',
    sections: [
      { name: '.text', align: 16, bytes: text, relocs },
      { name: '.rodata', align: 8, bytes: enc.encode('hello from rodata\0') },
      {
        name: '.data.rel.ro',
        align: 8,
        bytes: new Uint8Array(8),
        relocs: [{ offset: 0, kind: 'x64-abs64', symbol: 'kiln_add', addend: 0 }],
      },
      { name: '.bss', align: 8, size: 8 },
    ],
    symbols: [
      { name: 'kiln_add', section: '.text', offset: 0, size: 4, binding: 'global', type: 'func' },
      { name: 'kiln_call_ext', section: '.text', offset: 4, size: 14, binding: 'global', type: 'func' },
      { name: 'msg', section: '.rodata', offset: 0, size: 18, binding: 'local', type: 'object' },
      { name: 'kiln_msg', section: '.text', offset: 18, size: 8, binding: 'global', type: 'func' },
      { name: 'kiln_table', section: '.data.rel.ro', offset: 0, size: 8, binding: 'global', type: 'object' },
      { name: 'kiln_counter', section: '.bss', offset: 0, size: 8, binding: 'global', type: 'object' },
    ],
  };
}

/**
 * AArch64 object:
 *   kiln_add:      add w0,w0,w1; ret
 *   kiln_call_ext: stp x29,x30,[sp,#-16]!; mov x29,sp; bl ext_hook; ldp x29,x30,[sp],#16; ret
 *   kiln_msg:      adrp x0,msg; add x0,x0,:lo12:msg; ret   (msg = .rodata + 8 via the section symbol)
 *   kiln_tail:     b ext_hook                              (JUMP26)
 *   kiln_table:    .xword kiln_add                         (ABS64 in .data.rel.ro)
 */
function a64Object(): ObjectFile {
  const text = le32(
    0x0b010000, 0xd65f03c0, // kiln_add @0
    0xa9bf7bfd, 0x910003fd, 0x94000000, 0xa8c17bfd, 0xd65f03c0, // kiln_call_ext @8
    0x90000000, 0x91000000, 0xd65f03c0, // kiln_msg @28
    0x14000000, // kiln_tail @40
  );
  const rodata = cat(enc.encode('padding!'), enc.encode('hello from rodata\0'));
  return {
    machine: 'aarch64',
    sections: [
      {
        name: '.text',
        align: 4,
        bytes: text,
        relocs: [
          { offset: 16, kind: 'a64-call26', symbol: 'ext_hook', addend: 0 },
          { offset: 28, kind: 'a64-adr-prel-pg-hi21', symbol: '.rodata', addend: 8 },
          { offset: 32, kind: 'a64-add-abs-lo12-nc', symbol: '.rodata', addend: 8 },
          { offset: 40, kind: 'a64-jump26', symbol: 'ext_hook', addend: 0 },
        ],
      },
      { name: '.rodata', align: 16, bytes: rodata },
      {
        name: '.data.rel.ro',
        align: 8,
        bytes: new Uint8Array(8),
        relocs: [{ offset: 0, kind: 'a64-abs64', symbol: 'kiln_add', addend: 0 }],
      },
      { name: '.bss', align: 8, size: 8 },
    ],
    symbols: [
      { name: 'kiln_add', section: '.text', offset: 0, size: 8, binding: 'global', type: 'func' },
      { name: 'kiln_call_ext', section: '.text', offset: 8, size: 20, binding: 'global', type: 'func' },
      { name: 'kiln_msg', section: '.text', offset: 28, size: 12, binding: 'global', type: 'func' },
      { name: 'kiln_tail', section: '.text', offset: 40, size: 4, binding: 'global', type: 'func', hidden: true },
      { name: 'kiln_table', section: '.data.rel.ro', offset: 0, size: 8, binding: 'global', type: 'object' },
      { name: 'kiln_counter', section: '.bss', offset: 0, size: 8, binding: 'global', type: 'object' },
    ],
  };
}

const MAIN_C = `
#include <stdio.h>
int kiln_add(int, int);
int kiln_call_ext(int);
const char *kiln_msg(void);
extern int (*const kiln_table[1])(int, int);
extern long kiln_counter;
#ifdef HAVE_TAIL
int kiln_tail(int);
#endif
int ext_hook(int x) { printf("ext_hook(%d)\\n", x); return x * 10; }
int main(void) {
  printf("add=%d\\n", kiln_add(2, 40));
  printf("call=%d\\n", kiln_call_ext(7));
  printf("msg=%s\\n", kiln_msg());
  printf("table=%d\\n", kiln_table[0](100, 23));
  printf("counter=%ld\\n", kiln_counter);
  kiln_counter = 5;
  printf("counter=%ld\\n", kiln_counter);
#ifdef HAVE_TAIL
  printf("tail=%d\\n", kiln_tail(3));
#endif
  return 0;
}
`;

async function writeTemp(name: string, data: Uint8Array | string): Promise<string> {
  const p = join(dir, name);
  await writeFile(p, data);
  return p;
}

describe('writeElfObject: structure', () => {
  it('is deterministic', () => {
    const a = writeElfObject(x64Object());
    const b = writeElfObject(x64Object());
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });

  it('x86-64: readelf sees sections, symbols (locals first) and relocations', async () => {
    const o = await writeTemp('x64-struct.o', writeElfObject(x64Object()));
    const { stdout, stderr } = await execa('readelf', ['-W', '-a', o]);
    expect(stderr).toBe('');
    expect(stdout).toMatch(/Type:\s+REL \(Relocatable file\)/);
    expect(stdout).toMatch(/Machine:\s+Advanced Micro Devices X86-64/);
    expect(stdout).toMatch(/\.text\s+PROGBITS\s+0+ [0-9a-f]+ 00001a 00\s+AX\s+0\s+0\s+16/);
    expect(stdout).toMatch(/\.rela\.text\s+RELA\s+.* 18\s+I\s+\d+\s+1\s+8/);
    expect(stdout).toMatch(/\.rodata\s+PROGBITS\s+.*\s+A\s+0\s+0\s+8/);
    expect(stdout).toMatch(/\.data\.rel\.ro\s+PROGBITS\s+.*\s+WA\s+0\s+0\s+8/);
    expect(stdout).toMatch(/\.bss\s+NOBITS\s+.* 000008 00\s+WA\s+0\s+0\s+8/);
    expect(stdout).toMatch(/\.note\.GNU-stack\s+PROGBITS\s+.* 000000 00\s+0\s+0\s+1/);
    expect(stdout).toMatch(/R_X86_64_PLT32\s+0+ ext_hook - 4/);
    expect(stdout).toMatch(/R_X86_64_PC32\s+0+ msg - 4/);
    expect(stdout).toMatch(/R_X86_64_64\s+0+ kiln_add \+ 0/);
    expect(stdout).toMatch(/FILE\s+LOCAL\s+DEFAULT\s+ABS kiln-test\.wasm/);
    expect(stdout).toMatch(/OBJECT\s+LOCAL\s+DEFAULT\s+\d+ msg/);
    expect(stdout).toMatch(/FUNC\s+GLOBAL\s+DEFAULT\s+1 kiln_call_ext/);
    expect(stdout).toMatch(/NOTYPE\s+GLOBAL\s+DEFAULT\s+UND ext_hook/);
    // readelf warns when a local symbol follows a global or sh_info is wrong; check the order ourselves too.
    const rows = [...stdout.matchAll(/^\s+(\d+): [0-9a-f]+\s+\d+\s+\w+\s+(LOCAL|GLOBAL|WEAK)/gm)];
    const firstGlobal = rows.find((m) => m[2] !== 'LOCAL')!;
    const firstGlobalIndex = Number(firstGlobal[1]);
    expect(rows.filter((m) => m[2] === 'LOCAL').every((m) => Number(m[1]) < firstGlobalIndex)).toBe(true);
    const info = /\.symtab\s+SYMTAB\s+\S+\s+\S+\s+\S+\s+18\s+\d+\s+(\d+)/.exec(stdout);
    expect(Number(info![1])).toBe(firstGlobalIndex);
  });

  it('x86-64: objdump disassembles with relocations', async () => {
    const o = await writeTemp('x64-dis.o', writeElfObject(x64Object()));
    const { stdout } = await execa('objdump', ['-dr', o]);
    expect(stdout).toMatch(/lea\s+\(%rdi,%rsi(,1)?\),%eax/);
    expect(stdout).toMatch(/call\s+\S+.*\n\s+9: R_X86_64_PLT32\s+ext_hook-0x4/);
    expect(stdout).toMatch(/15: R_X86_64_PC32\s+msg-0x4/);
  });

  it('aarch64: readelf and objdump see the relocations', async () => {
    const o = await writeTemp('a64-struct.o', writeElfObject(a64Object()));
    const re = await execa('aarch64-linux-gnu-readelf', ['-W', '-a', o]);
    expect(re.stderr).toBe('');
    expect(re.stdout).toMatch(/Machine:\s+AArch64/);
    expect(re.stdout).toMatch(/R_AARCH64_CALL26\s+0+ ext_hook \+ 0/);
    expect(re.stdout).toMatch(/R_AARCH64_JUMP26\s+0+ ext_hook \+ 0/);
    expect(re.stdout).toMatch(/R_AARCH64_ADR_PREL_PG_HI21\s+0+ \.rodata \+ 8/);
    expect(re.stdout).toMatch(/R_AARCH64_ADD_ABS_LO12_NC\s+0+ \.rodata \+ 8/);
    expect(re.stdout).toMatch(/R_AARCH64_ABS64\s+0+ kiln_add \+ 0/);
    expect(re.stdout).toMatch(/FUNC\s+GLOBAL\s+HIDDEN\s+1 kiln_tail/);
    const od = await execa('aarch64-linux-gnu-objdump', ['-dr', o]);
    expect(od.stdout).toMatch(/add\s+w0, w0, w1/);
    expect(od.stdout).toMatch(/bl\s+.*\n\s+10: R_AARCH64_CALL26\s+ext_hook/);
    expect(od.stdout).toMatch(/adrp\s+x0, .*\n\s+1c: R_AARCH64_ADR_PREL_PG_HI21\s+\.rodata\+0x8/);
    expect(od.stdout).toMatch(/add\s+x0, x0, #0x0\n\s+20: R_AARCH64_ADD_ABS_LO12_NC\s+\.rodata\+0x8/);
  });

  it('rejects inconsistent input', () => {
    const base = x64Object();
    expect(() =>
      writeElfObject({ ...base, machine: 'aarch64' }),
    ).toThrow(ElfError);
    expect(() =>
      writeElfObject({
        ...base,
        sections: [{ name: '.text', bytes: new Uint8Array(4), relocs: [{ offset: 2, kind: 'x64-pc32', symbol: 'x', addend: 0 }] }],
        symbols: [],
      }),
    ).toThrow(/outside/);
    expect(() => writeElfObject({ ...base, symbols: [...base.symbols, base.symbols[0]!] })).toThrow(/duplicate symbol/);
    expect(() =>
      writeElfObject({ ...base, symbols: [{ name: 'f', section: '.nope', offset: 0, size: 0, binding: 'global', type: 'func' }] }),
    ).toThrow(/unknown section/);
  });
});

describe('writeElfObject: link and run', () => {
  it('x86-64: links with gcc -static -no-pie and runs', async () => {
    const o = await writeTemp('x64-run.o', writeElfObject(x64Object()));
    const c = await writeTemp('main-x64.c', MAIN_C);
    const exe = join(dir, 'x64-run');
    await execa('gcc', ['-static', '-no-pie', '-O1', '-Wl,--fatal-warnings', '-o', exe, c, o]);
    const { stdout } = await execa(exe);
    expect(stdout).toBe(
      ['add=42', 'ext_hook(7)', 'call=70', 'msg=hello from rodata', 'table=123', 'counter=0', 'counter=5'].join('\n'),
    );
  });

  it('aarch64: links with aarch64-linux-gnu-gcc -static and runs under qemu', async () => {
    const o = await writeTemp('a64-run.o', writeElfObject(a64Object()));
    const c = await writeTemp('main-a64.c', MAIN_C);
    const exe = join(dir, 'a64-run');
    await execa('aarch64-linux-gnu-gcc', ['-static', '-O1', '-DHAVE_TAIL', '-Wl,--fatal-warnings', '-o', exe, c, o]);
    const { stdout } = await execa('qemu-aarch64', [exe]);
    expect(stdout).toBe(
      [
        'add=42',
        'ext_hook(7)',
        'call=70',
        'msg=hello from rodata',
        'table=123',
        'counter=0',
        'counter=5',
        'ext_hook(3)',
        'tail=30',
      ].join('\n'),
    );
  });
});
