/** The kiln CLI as a user runs it: the built bin/kiln.js, its output and its exit codes. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';

const kiln = (args: string[]) => execa('node', ['bin/kiln.js', ...args], { reject: false, env: { FORCE_COLOR: '0' } });

let dir: string;
let valid: string;
let invalid: string;
let truncated: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kiln-cli-'));
  valid = join(dir, 'valid.wasm');
  invalid = join(dir, 'invalid.wasm');
  truncated = join(dir, 'truncated.wasm');
  // (module (func (result i32) i32.const 7))
  const header = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  const types = [0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7f];
  const funcs = [0x03, 0x02, 0x01, 0x00];
  writeFileSync(valid, Uint8Array.from([...header, ...types, ...funcs, 0x0a, 0x06, 0x01, 0x04, 0x00, 0x41, 0x07, 0x0b]));
  // Same, but the body returns an i64: a type mismatch inside the code section.
  writeFileSync(invalid, Uint8Array.from([...header, ...types, ...funcs, 0x0a, 0x06, 0x01, 0x04, 0x00, 0x42, 0x07, 0x0b]));
  writeFileSync(truncated, Uint8Array.from([...header, 0x01, 0x05, 0x01, 0x60]));
});

describe('kiln CLI', () => {
  it('prints help naming every command', async () => {
    const r = await kiln(['--help']);
    expect(r.exitCode).toBe(0);
    for (const c of ['validate', 'inspect', 'spec', 'doctor']) expect(r.stdout).toContain(c);
  });

  it('exits 2 on an unknown command or missing argument', async () => {
    expect((await kiln(['frobnicate'])).exitCode).toBe(2);
    expect((await kiln(['validate'])).exitCode).toBe(2);
  });

  it('validate: silent and 0 for a valid module, one line per bad file and 1 otherwise', async () => {
    const ok = await kiln(['validate', valid]);
    expect(ok.exitCode).toBe(0);
    expect(ok.stdout).toBe('');
    const bad = await kiln(['validate', valid, invalid, truncated]);
    expect(bad.exitCode).toBe(1);
    const lines = bad.stdout.split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(new RegExp(`^${invalid}: 0x[0-9a-f]+: type mismatch`));
    expect(lines[1]).toMatch(new RegExp(`^${truncated}: 0x9: length out of bounds`));
  });

  it('validate --json and --verbose', async () => {
    const r = await kiln(['validate', '--json', valid, invalid]);
    const objs = r.stdout.split('\n').map((l) => JSON.parse(l));
    expect(objs[0]).toEqual({ file: valid, valid: true });
    expect(objs[1]).toMatchObject({ file: invalid, valid: false, kind: 'invalid' });
    expect(objs[1].message).toMatch(/^type mismatch/);
    expect(typeof objs[1].offset).toBe('number');
    expect((await kiln(['validate', '-v', valid])).stdout).toContain('valid');
  });

  it('validate: an unreadable file is a usage error, not a crash', async () => {
    const r = await kiln(['validate', join(dir, 'missing.wasm')]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('no such file');
    expect(r.stderr).not.toContain('    at ');
  });

  it('inspect summarises a module, as text and JSON', async () => {
    const text = await kiln(['inspect', valid]);
    expect(text.exitCode).toBe(0);
    expect(text.stdout.toLowerCase()).toContain('type');
    const json = await kiln(['inspect', '--json', valid]);
    expect(json.exitCode).toBe(0);
    expect(() => JSON.parse(json.stdout)).not.toThrow();
    const bad = await kiln(['inspect', truncated]);
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toMatch(/truncated.wasm: 0x9: length out of bounds/);
  });

  it('spec runs a script and ends with the exact totals line', async () => {
    const r = await kiln(['spec', 'test/fixtures/spec/tiny.wast']);
    expect(r.exitCode).toBe(0);
    const last = r.stdout.trim().split('\n').at(-1);
    // module + assert_invalid + binary assert_malformed pass; the text-format malformed is skipped by rule.
    expect(last).toBe('3 passed, 0 failed, 1 skipped');
    expect(r.stdout).toContain('1 commands need execution');
  });

  it('spec rejects an unknown engine with a usage error', async () => {
    const r = await kiln(['spec', '--engine', 'nope', 'test/fixtures/spec/tiny.wast']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('unknown engine');
  });

  it('doctor reports every tool', async () => {
    const r = await kiln(['doctor', '--json']);
    const tools = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(tools.length).toBeGreaterThan(5);
    expect(r.exitCode).toBe(tools.every((t) => t.found) ? 0 : 1);
  });
});
