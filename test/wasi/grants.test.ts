/**
 * Grant flags: parsing/validation (src/cli/grants.ts), embedding at compile time, KILN_GRANTS
 * only when the executable allows it, and `kiln run --dir/--env` end to end (x86-64 host).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeEmbeddedGrants, encodeRuntimeGrants, parseGrants, guestEnvironment } from '../../src/cli/grants.js';
import { UserError } from '../../src/cli/exit.js';
import { tempDir } from './helpers.js';

/* Small on purpose (no printf): prints its preopens and environment. */
const PROBE = `
#include <string.h>
#include <unistd.h>
#include <wasi/api.h>
extern char **environ;
static void put(const char *s) { write(1, s, strlen(s)); }
int main(void) {
  for (int fd = 3; fd < 8; fd++) {
    __wasi_prestat_t ps;
    if (__wasi_fd_prestat_get(fd, &ps) != 0) break;
    char name[256] = {0};
    __wasi_fd_prestat_dir_name(fd, (uint8_t *)name, ps.u.dir.pr_name_len);
    __wasi_fdstat_t st;
    __wasi_fd_fdstat_get(fd, &st);
    put("preopen "); put(name); put((st.fs_rights_base & __WASI_RIGHTS_PATH_CREATE_FILE) ? " rw\\n" : " ro\\n");
  }
  for (char **e = environ; *e; e++) { put("env "); put(*e); put("\\n"); }
  return 0;
}
`;

let dir: string;
let wasm: string;
const kiln = (args: string[], env: Record<string, string> = {}) =>
  execa('node', ['bin/kiln.js', ...args], { reject: false, env: { FORCE_COLOR: '0', PATH: process.env.PATH ?? '', KILN_CACHE_DIR: join(dir, 'cache'), ...env }, extendEnv: false });

beforeAll(() => {
  dir = tempDir('grants');
  writeFileSync(join(dir, 'probe.c'), PROBE);
  wasm = join(dir, 'probe.wasm');
  execFileSync('clang-14', ['--target=wasm32-wasi', '--sysroot=/usr', '-O2', join(dir, 'probe.c'), '-o', wasm]);
  mkdirSync(join(dir, 'data'));
  mkdirSync(join(dir, 'pub'));
});

describe('grant parsing', () => {
  it('parses HOST[::GUEST], NAME=VALUE and NAME', () => {
    const g = parseGrants({ dir: ['/a::/x', '/b'], 'dir-ro': '/c::y::z', env: ['A=1=2', 'HOME'], 'inherit-env': true });
    expect(g.dirs).toEqual([
      { host: '/a', guest: '/x', readonly: false },
      { host: '/b', guest: '/b', readonly: false },
      { host: '/c::y', guest: 'z', readonly: true },
    ]);
    expect(g.env).toEqual([{ name: 'A', value: '1=2' }, { name: 'HOME' }]);
    expect(g.inheritEnv).toBe(true);
  });
  it('rejects empty parts as usage errors', () => {
    for (const bad of [{ dir: '::/x' }, { dir: '/a::' }, { env: '=v' }, { env: '' }, { dir: 'a\0b' }])
      expect(() => parseGrants(bad)).toThrow(UserError);
  });
  it('encodes for the runtime, quoting whitespace and backslashes', () => {
    const g = parseGrants({ dir: '/my dir::/d', env: 'K=a\\b c' });
    expect(encodeRuntimeGrants(g)).toBe('--dir /my\\ dir::/d --env K=a\\\\b\\ c');
    expect(Array.from(encodeEmbeddedGrants(g)).at(-1)).toBe(0);
  });
  it('computes the guest environment as the runtime does', () => {
    const g = parseGrants({ env: ['A=1', 'HOME', 'MISSING'] });
    expect(guestEnvironment(g, { HOME: '/h', OTHER: 'x', KILN_GRANTS: 'y' })).toEqual({ A: '1', HOME: '/h' });
    expect(guestEnvironment(parseGrants({ 'inherit-env': true }), { OTHER: 'x', KILN_GRANTS: 'y' })).toEqual({ OTHER: 'x' });
  });
});

describe('grants end to end', () => {
  it('kiln compile embeds grants; KILN_GRANTS is refused unless allowed', async () => {
    const exe = join(dir, 'embedded');
    const c = await kiln(['compile', wasm, '-o', exe, '--dir', `${join(dir, 'data')}::/data`, '--dir-ro', `${join(dir, 'pub')}::/pub`, '--env', 'A=1', '--env', 'HOME']);
    expect(c.exitCode, c.stderr).toBe(0);
    const r = await execa(exe, [], { reject: false, env: { HOME: '/home/x', SECRET: 's' }, extendEnv: false });
    expect(r.stdout).toBe('preopen /data rw\npreopen /pub ro\nenv A=1\nenv HOME=/home/x');
    const refused = await execa(exe, [], { reject: false, env: { KILN_GRANTS: '--dir /' }, extendEnv: false });
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain('--allow-runtime-grants');
    expect(refused.stdout).toBe('');
  }, 120_000);

  it('with --allow-runtime-grants the invoker adds grants through KILN_GRANTS, never seen by the guest', async () => {
    const exe = join(dir, 'open');
    const c = await kiln(['compile', wasm, '-o', exe, '--allow-runtime-grants']);
    expect(c.exitCode, c.stderr).toBe(0);
    const none = await execa(exe, [], { reject: false, env: { HOME: '/h' }, extendEnv: false });
    expect(none.stdout).toBe('');
    const r = await execa(exe, [], { reject: false, env: { KILN_GRANTS: `--dir-ro ${join(dir, 'pub')}::/p --inherit-env`, Z: '1' }, extendEnv: false });
    expect(r.stdout).toBe('preopen /p ro\nenv Z=1');
    const bad = await execa(exe, [], { reject: false, env: { KILN_GRANTS: `--dir ${join(dir, 'missing')}` }, extendEnv: false });
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toMatch(/^kiln: --dir .*missing: No such file or directory/);
    const unknown = await execa(exe, [], { reject: false, env: { KILN_GRANTS: '--net' }, extendEnv: false });
    expect(unknown.exitCode).toBe(1);
  }, 120_000);

  it('kiln run passes --dir/--env; no grant means nothing', async () => {
    const r = await kiln(['run', wasm, '--dir', `${join(dir, 'data')}::/data`, '--env', 'A=b c'], { HOME: '/h' });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toBe('preopen /data rw\nenv A=b c');
    const none = await kiln(['run', wasm], { HOME: '/h' });
    expect(none.stdout).toBe('');
    const usage = await kiln(['run', wasm, '--dir', '::/x']);
    expect(usage.exitCode).toBe(2);
  }, 120_000);
});
