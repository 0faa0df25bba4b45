/**
 * WASI capability grants, shared by `kiln compile` and `kiln run`.
 *
 * A program gets stdin/stdout/stderr and its argv, nothing else, unless granted:
 *   --dir HOST[::GUEST]     preopen HOST read-write, visible to the guest as GUEST (default HOST)
 *   --dir-ro HOST[::GUEST]  the same, read-only (no descriptor under it can write or modify)
 *   --env NAME=VALUE        set one environment variable
 *   --env NAME              pass the invoker's NAME through (when set)
 *   --inherit-env           pass the invoker's whole environment through
 * The last "::" separates HOST from GUEST. Preopens are numbered from fd 3: every --dir
 * in command-line order, then every --dir-ro.
 *
 * Where grants live:
 *   - `kiln compile … --dir …` embeds them in the executable (an object defining
 *     `kiln_embedded_grants`, linked with the runtime); HOST paths are kept as given, so a
 *     relative one is relative to the working directory the program runs in.
 *   - `kiln compile --allow-runtime-grants` additionally lets whoever runs the executable add
 *     grants through the KILN_GRANTS environment variable (same flags, whitespace-separated,
 *     backslash quotes the next character). Without it KILN_GRANTS is refused at start-up
 *     (`kiln: …`, exit 1) rather than silently ignored. The guest's own argv is never parsed.
 *   - `kiln run … --dir …` builds its cached executable with --allow-runtime-grants and
 *     passes the grants through KILN_GRANTS (the runtime never shows KILN_GRANTS to the guest).
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { execa } from 'execa';
import type { Argv } from 'yargs';
import { findCompiler, ToolchainError, type KilnTarget } from '../../toolchain/cc.js';
import { linkExecutable } from '../../toolchain/link.js';
import { buildRuntime } from '../../toolchain/runtime.js';
import { EXIT_USAGE, UserError } from './exit.js';

export interface DirGrant {
  host: string;
  guest: string;
  readonly: boolean;
}

export interface EnvGrant {
  name: string;
  /** undefined: inherit the invoker's value */
  value?: string;
}

export interface Grants {
  dirs: DirGrant[];
  env: EnvGrant[];
  inheritEnv: boolean;
  /** Embedded only: honour KILN_GRANTS at run time. */
  allowRuntimeGrants: boolean;
}

export const NO_GRANTS: Grants = { dirs: [], env: [], inheritEnv: false, allowRuntimeGrants: false };

/** The yargs view of the grant options (repeated options arrive as arrays). */
export interface GrantArgs {
  dir?: string | string[];
  'dir-ro'?: string | string[];
  env?: string | string[];
  'inherit-env'?: boolean;
  'allow-runtime-grants'?: boolean;
}

/** Adds the grant options; `compile` also gets --allow-runtime-grants. */
export function withGrantOptions<T>(y: Argv<T>, opts: { compile: boolean }): Argv<T & GrantArgs> {
  const when = opts.compile ? 'embedded in the executable' : 'for this run';
  let r = y
    .option('dir', { type: 'string', requiresArg: true, describe: `Preopen a host directory read-write, HOST[::GUEST] (${when})` })
    .option('dir-ro', { type: 'string', requiresArg: true, describe: 'Preopen a host directory read-only, HOST[::GUEST]' })
    .option('env', { type: 'string', requiresArg: true, describe: 'Environment variable for the program: NAME=VALUE, or NAME to pass the invoker\'s value' })
    .option('inherit-env', { type: 'boolean', describe: "Pass the invoker's whole environment to the program" }) as unknown as Argv<T & GrantArgs>;
  if (opts.compile)
    r = r.option('allow-runtime-grants', {
      type: 'boolean',
      describe: 'Let the invoker add grants at run time through the KILN_GRANTS environment variable',
    }) as unknown as Argv<T & GrantArgs>;
  return r;
}

function list(v: string | string[] | undefined): string[] {
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).map(String);
}

function bad(message: string): never {
  throw new UserError(message, EXIT_USAGE);
}

/** Parses one HOST[::GUEST] (the last "::" separates). */
export function parseDirSpec(spec: string, readonly: boolean): DirGrant {
  const flag = readonly ? '--dir-ro' : '--dir';
  if (spec.includes('\0')) bad(`${flag} ${JSON.stringify(spec)}: contains a NUL byte`);
  const at = spec.lastIndexOf('::');
  const host = at >= 0 ? spec.slice(0, at) : spec;
  const guest = at >= 0 ? spec.slice(at + 2) : spec;
  if (!host) bad(`${flag} ${JSON.stringify(spec)}: empty host directory`);
  if (!guest) bad(`${flag} ${JSON.stringify(spec)}: empty guest path`);
  return { host, guest, readonly };
}

export function parseEnvSpec(spec: string): EnvGrant {
  if (spec.includes('\0')) bad(`--env ${JSON.stringify(spec)}: contains a NUL byte`);
  const eq = spec.indexOf('=');
  const name = eq >= 0 ? spec.slice(0, eq) : spec;
  if (!name) bad(`--env ${JSON.stringify(spec)}: expected NAME=VALUE or NAME`);
  if (/\s/.test(name)) bad(`--env ${JSON.stringify(spec)}: the name contains whitespace`);
  return eq >= 0 ? { name, value: spec.slice(eq + 1) } : { name };
}

/** Validated grants from parsed options; usage errors throw UserError (exit 2). */
export function parseGrants(args: GrantArgs): Grants {
  return {
    dirs: [...list(args.dir).map((s) => parseDirSpec(s, false)), ...list(args['dir-ro']).map((s) => parseDirSpec(s, true))],
    env: list(args.env).map(parseEnvSpec),
    inheritEnv: args['inherit-env'] === true,
    allowRuntimeGrants: args['allow-runtime-grants'] === true,
  };
}

export function hasGrants(g: Grants): boolean {
  return g.dirs.length > 0 || g.env.length > 0 || g.inheritEnv;
}

/** The `kiln_embedded_grants` bytes (record format in src/runtime-c/wasi.c). */
export function encodeEmbeddedGrants(g: Grants): Uint8Array {
  const parts: string[] = [];
  for (const d of g.dirs) parts.push(`${d.readonly ? 'R' : 'D'}${d.host}\0${d.guest}\0`);
  if (g.inheritEnv) parts.push('A');
  for (const e of g.env) parts.push(e.value === undefined ? `I${e.name}\0` : `E${e.name}=${e.value}\0`);
  if (g.allowRuntimeGrants) parts.push('G');
  parts.push('\0');
  return new TextEncoder().encode(parts.join(''));
}

function quoteWord(w: string): string {
  return w.replace(/[\\\s]/g, (c) => `\\${c}`);
}

/** The KILN_GRANTS value giving `g` to an executable built with --allow-runtime-grants. */
export function encodeRuntimeGrants(g: Grants): string {
  const words: string[] = [];
  for (const d of g.dirs) words.push(d.readonly ? '--dir-ro' : '--dir', `${d.host}::${d.guest}`);
  for (const e of g.env) words.push('--env', e.value === undefined ? e.name : `${e.name}=${e.value}`);
  if (g.inheritEnv) words.push('--inherit-env');
  return words.map(quoteWord).join(' ');
}

/** Environment for Node's WASI (`--engine interp`), computed as the runtime would. */
export function guestEnvironment(g: Grants, invoker: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const env: Record<string, string> = {};
  if (g.inheritEnv) for (const [k, v] of Object.entries(invoker)) if (v !== undefined && k !== 'KILN_GRANTS') env[k] = v;
  for (const e of g.env) {
    if (e.value !== undefined) env[e.name] = e.value;
    else if (invoker[e.name] !== undefined && e.name !== 'KILN_GRANTS') env[e.name] = invoker[e.name]!;
  }
  return env;
}

/** Compiles the object defining `kiln_embedded_grants` for `target`. */
export async function compileGrantsObject(target: KilnTarget, g: Grants, output: string): Promise<void> {
  const bytes = encodeEmbeddedGrants(g);
  const src = `const unsigned char kiln_embedded_grants[${bytes.length}] = {${Array.from(bytes).join(',')}};\n`;
  const { cc } = findCompiler(target);
  const r = await execa(cc, ['-x', 'c', '-std=gnu11', '-c', '-o', output, '-'], { input: src, reject: false, all: true });
  if (r.exitCode !== 0) throw new ToolchainError(`compiling the grants object failed:\n${r.all ?? ''}`);
}

/**
 * Links `object` with the runtime into `output` (atomically: written to a temporary sibling and renamed), with
 * `grants` embedded. Without grants (and without --allow-runtime-grants) nothing extra is
 * linked: the runtime's default is deny-all.
 */
export async function linkWithGrants(object: Uint8Array, target: KilnTarget, output: string, grants: Grants): Promise<void> {
  mkdirSync(dirname(output), { recursive: true });
  const stem = join(dirname(output), `.${basename(output)}.${process.pid}-${randomBytes(4).toString('hex')}`);
  const objPath = `${stem}.o`;
  const grantsPath = `${stem}.grants.o`;
  const embed = hasGrants(grants) || grants.allowRuntimeGrants;
  try {
    writeFileSync(objPath, object);
    if (embed) await compileGrantsObject(target, grants, grantsPath);
    await linkExecutable({ target, objects: embed ? [objPath, grantsPath] : [objPath], output, runtime: await buildRuntime(target) });
  } finally {
    rmSync(objPath, { force: true });
    rmSync(grantsPath, { force: true });
  }
}
