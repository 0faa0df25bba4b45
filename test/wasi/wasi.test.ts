/**
 * WASI preview1 on kiln, both targets (x86-64 natively, AArch64 under qemu): every area of
 * programs/ against Node's WASI as the reference, then kiln-only checks where Node is no
 * reference (sandbox escapes, hostile pointers, inherited sockets).
 */
import { mkdirSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, type TestContext } from 'vitest';
import type { KilnTarget } from '../../toolchain/cc.js';
import { buildFor, buildSuiteWasm, makeTree, runKiln, runNode, snapshot, tempDir, type TargetBuild } from './helpers.js';

const TARGETS: KilnTarget[] = ['x86_64', 'aarch64'];
let work: string;
let wasm: string;
const builds = new Map<KilnTarget, TargetBuild>();

beforeAll(async () => {
  work = tempDir('suite');
  wasm = buildSuiteWasm(work);
  for (const t of TARGETS) builds.set(t, await buildFor(t, wasm, work));
}, 240_000);

function exeFor(ctx: TestContext, target: KilnTarget): string {
  const b = builds.get(target)!;
  if (b.skip) {
    console.log(`skipping on ${target}: ${b.skip}`);
    ctx.skip();
  }
  return b.exe!;
}

let counter = 0;
function freshRoot(withLinks = false): string {
  const root = join(work, `run-${counter++}`);
  mkdirSync(root);
  makeTree(root, withLinks);
  return root;
}

interface Case {
  name: string;
  args: string[];
  input?: string;
  env?: Record<string, string>;
}

const STDIN_TEXT = Array.from({ length: 500 }, (_, i) => `line ${i}: ${'xyz'.repeat(i % 7)}`).join('\n') + '\n';
const COMPARED: Case[] = [
  ...['files', 'dirs', 'readdir', 'links', 'seek', 'trunc', 'clocks', 'random'].map((a) => ({ name: a, args: [a] })),
  { name: 'args and env', args: ['argsenv', 'one', 'two words', '', 'ünïcödé'], env: { A: '1', B: 'two words', EMPTY: '' } },
  { name: 'exit: return 7', args: ['exit', 'return', '7'] },
  { name: 'exit: proc_exit 42', args: ['exit', 'proc_exit', '42'] },
  { name: 'exit: exit(3)', args: ['exit', 'exit', '3'] },
  { name: 'exit: abort traps', args: ['exit', 'abort'] },
  { name: 'stdin piping', args: ['stdin'], input: STDIN_TEXT },
];

const EXPECTED: Record<string, string> = {
  stat: [
    'stat hello: ok', 'size 12 reg 1 nlink 1', 'stat sub: ok', 'dir 1', 'stat missing: No such file or directory', 'utimensat: ok',
    'atime 1000000000.123456789 mtime 1500000000.987654321', 'utimensat omit atime: ok', 'atime 1000000000 mtime 1600000000.000000005',
    'futimens: ok', 'fstat: ok', 'fstat atime 1700000000 mtime 1700000001 size 12', 'set times now: 0', 'now is recent 1',
    'set_times conflicting: 28', 'path_filestat_get: 0', 'filetype 3', 'fdstat preopen: 0', 'preopen filetype 3', '',
  ].join('\n'),
  poll: [
    'relative 50ms: 0', 'events 1 userdata 7 type 0 error 0 waited>=50ms 1 <5s 1', 'absolute +30ms: 0', 'events 1 userdata 8 waited>=30ms 1',
    'two clocks: 0', 'first fired 1 userdata 2 quick 1', 'file readable: 0', 'events 1 userdata 42 type 1 nbytes 12 quick 1',
    'stdout writable: 0', 'events 1 userdata 42 type 2', 'zero subscriptions: 28', 'usleep waited 1', '',
  ].join('\n'),
};

/** Node's answer per case, computed once (it does not depend on the kiln target). */
const reference = new Map<string, Promise<{ stdout: string; exitCode: number | undefined }>>();
function nodeResult(c: Case): Promise<{ stdout: string; exitCode: number | undefined }> {
  let p = reference.get(c.name);
  if (!p) {
    const root = freshRoot();
    p = runNode(wasm, c.args, { preopens: { '/sandbox': join(root, 'sandbox') }, env: c.env, input: c.input });
    reference.set(c.name, p);
  }
  return p;
}

for (const target of TARGETS) {
  describe(`WASI vs Node on ${target}`, () => {
    for (const c of COMPARED) {
      it(c.name, async (ctx) => {
        const exe = exeFor(ctx, target);
        const root = freshRoot();
        const env = Object.entries(c.env ?? {}).map(([k, v]) => ({ name: k, value: v }));
        const [k, n] = await Promise.all([
          runKiln(target, exe, c.args, { grants: { dirs: [{ host: join(root, 'sandbox'), guest: '/sandbox', readonly: false }], env }, input: c.input }),
          nodeResult(c),
        ]);
        expect(k.stdout).toBe(n.stdout);
        expect(k.exitCode).toBe(n.exitCode);
        // no line reports a failure nobody expected: both must have done real work
        expect(k.stdout.length).toBeGreaterThan(10);
      }, 60_000);
    }
  });

  // Node 20's WASI spins forever in these two areas (after its first path_filestat_get /
  // poll_oneoff), so kiln is checked against the values the programs must print.
  describe(`WASI expected values on ${target}`, () => {
    for (const [area, want] of Object.entries(EXPECTED)) {
      it(area, async (ctx) => {
        const exe = exeFor(ctx, target);
        const root = freshRoot();
        const r = await runKiln(target, exe, [area], { grants: { dirs: [{ host: join(root, 'sandbox'), guest: '/sandbox', readonly: false }] } });
        expect(r.exitCode, r.stderr).toBe(0);
        expect(r.stdout).toBe(want);
      }, 60_000);
    }
  });

  describe(`WASI sandbox on ${target}`, () => {
    it('refuses every escape and touches nothing outside the preopens', async (ctx) => {
      const exe = exeFor(ctx, target);
      const root = freshRoot(true);
      const before = { outside: snapshot(join(root, 'outside')), ro: snapshot(join(root, 'ro')), top: readdirSync(root).sort() };
      const r = await runKiln(target, exe, ['sandbox'], {
        grants: {
          dirs: [
            { host: join(root, 'sandbox'), guest: '/sandbox', readonly: false },
            { host: join(root, 'ro'), guest: '/ro', readonly: true },
          ],
        },
      });
      expect(r.exitCode, r.stderr).toBe(0);
      const got = Object.fromEntries(r.stdout.trim().split('\n').map((l) => [l.slice(0, l.lastIndexOf(': ')), l.slice(l.lastIndexOf(': ') + 2)]));
      const NC = '76';
      const expected: Record<string, string> = {
        dotdot: NC, 'dotdot nested': NC, 'dotdot alone': NC, absolute: NC, 'absolute to own file': NC,
        'abs symlink': NC, 'rel symlink': NC, 'dir symlink': NC, 'dir symlink nofollow': NC, 'deep rel symlink': NC,
        'symlink nofollow': '32', 'trailing slash link': NC, loop: '32', 'self loop': '32',
        'chain 40': '0 [hello world|]', 'chain 41': '32',
        'inside link': '0 [inner|]', 'inside up link': '0 [hello world|]', 'inside dotdot': '0 [hello world|]',
        'create via dotdot': NC, 'create via dir link': NC, 'create via dangling abs': NC, 'trunc via rel link': NC,
        'mkdir outside': NC, 'mkdir via link': NC, 'rmdir outside': NC, 'unlink outside': NC, 'unlink via link dir': NC,
        'rename out': NC, 'rename in': NC, 'rename via link dir': NC,
        'link out': NC, 'link in': NC, 'link follow rel_link': NC,
        'symlink absolute': NC, 'symlink relative escaping': '0', 'follow own escaping link': NC, 'symlink placed outside': NC,
        'stat outside': NC, 'stat follow abs link': NC, 'stat nofollow abs link': '0', filetype: '7',
        'set times outside': NC, 'set times via link': NC, 'readlink outside': NC,
        'open sub': '0', 'from sub: dotdot': NC, 'from sub: inner': '0 [inner|]',
        'ro read': NC /* try_open asks for every right */, 'ro create': NC, 'ro trunc': NC, 'ro open all rights': NC, 'ro open read rights': '0', 'ro write': NC,
        'ro set size': NC, 'ro set times': NC, 'ro append open': NC, 'ro mkdir': NC, 'ro unlink': NC,
        'ro rename out': NC, 'ro link out': NC, 'ro symlink': NC, 'rights can only shrink': NC,
        'ro libc write open': 'ok', 'ro libc write': 'Bad file descriptor' /* wasi-libc maps ENOTCAPABLE to EBADF for write() */, 'ro libc read open': 'ok',
        'readlink truncates': '3', done: '1',
      };
      expect(got).toEqual(expected);
      expect(r.stdout).not.toContain('TOP SECRET');
      expect(snapshot(join(root, 'outside'))).toBe(before.outside);
      expect(snapshot(join(root, 'ro'))).toBe(before.ro);
      expect(readdirSync(root).sort()).toEqual(before.top);
    }, 60_000);

    it('with no grant at all sees no directory and no environment', async (ctx) => {
      const exe = exeFor(ctx, target);
      const r = await runKiln(target, exe, ['sandbox', 'nogrant'], { env: { HOME: '/root', SECRET_TOKEN: 'x' } });
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stdout).toBe(
        'prestat 3: 8\nraw open fd 3: 8\nlibc open: Capabilities insufficient\nlibc open relative: Capabilities insufficient\n' +
          'libc mkdir: Capabilities insufficient\nenviron 0 0\n',
      );
      expect(existsSync('/tmp/kiln-should-not-exist')).toBe(false);
    }, 60_000);
  });

  describe(`WASI host-function robustness on ${target}`, () => {
    it('rejects bad pointers, lengths and counts without crashing or writing outside guest memory', async (ctx) => {
      const exe = exeFor(ctx, target);
      const root = freshRoot();
      const before = snapshot(root);
      const r = await runKiln(target, exe, ['robust'], { grants: { dirs: [{ host: join(root, 'sandbox'), guest: '/sandbox', readonly: false }] } });
      expect(r.signal).toBeUndefined();
      expect(r.exitCode, r.stderr).toBe(0);
      const F = '21', INVAL = '28';
      const expected = [
        ['iovs array past end', F], ['iovs array at 4G-8', F], ['buffer past end', F], ['buffer wrapping', F],
        ['buffer length 4G-1', F], ['result past end', F], ['result at 4G-1', F], ['iov count 2^29', INVAL],
        ['iov count 2^32-1', INVAL], ['iov count 1025', INVAL], ['read into past end', F], ['pread into past end', F],
        ['path past end', F], ['path length 4G-1', F], ['path too long', '37'], ['path with NUL', INVAL],
        ['opened fd result past end', F], ['prestat name past end', F], ['prestat name too short', '37'],
        ['args_get past end', F], ['args buf past end', F], ['args_sizes past end', F], ['environ_get past end', F],
        ['clock result past end', F], ['clock res past end', F], ['random past end', F], ['random length 4G-1', F],
        ['fdstat past end', F], ['filestat past end', F], ['path_filestat past end', F], ['readdir buffer past end', F],
        ['readdir used past end', F], ['readlink buffer past end', F], ['seek result past end', F], ['tell result past end', F],
        ['poll subs past end', F], ['poll events past end', F], ['poll count huge', INVAL], ['poll count 2^32-1', INVAL],
        ['close fd 2^31-1', '8'], ['close fd -1', '8'], ['renumber to bad', '8'], ['symlink contents past end', F],
        ['sock_recv result past end', F],
      ].map(([l, v]) => `${l}: ${v}`);
      expect(r.stdout).toBe(
        [...expected, 'tail intact 1', 'overlapping read: 0', 'read 12 as expected 1', 'poll in place: 0', 'event userdata 99', 'args overlapping: 0', 'still alive', ''].join('\n'),
      );
      expect(snapshot(root)).toBe(before);
    }, 60_000);
  });

  describe(`WASI sockets on ${target}`, () => {
    it('receives, peeks, sends and shuts down on an inherited socket', async (ctx) => {
      const exe = exeFor(ctx, target);
      const root = freshRoot();
      const r = await runKiln(target, exe, ['sock'], { input: 'pingpong', grants: { dirs: [{ host: join(root, 'sandbox'), guest: '/sandbox', readonly: false }] } });
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stdout).toBe(
        'stdin is socket 1\npong\nrecv peek: 0\npeeked 4 [ping]\nrecv waitall: 0\nreceived 4 [ping] flags 0\nrecv bad flags: 28\n' +
          'send: 0\nsent 5\naccept on connected: 28\nshutdown bad how: 28\nshutdown rd: 0\nrecv on file: 57\nshutdown on file: 76\naccept on file: 76\n',
      );
    }, 60_000);
  });
}
