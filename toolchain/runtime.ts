/**
 * Building the C runtime once per target: kiln_rt.h is generated from src/backend/vmctx.ts,
 * the runtime sources are compiled into libkiln_rt.a plus the two entry objects (command
 * main and spec driver). The result is cached under $KILN_CACHE_DIR (or ~/.cache/kiln) in a
 * directory named by a content hash of everything that goes into it, so concurrent builds
 * are safe: each builds in a private temp directory and renames it into place; the loser of
 * the race discards its copy.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { generateRuntimeHeader } from '../src/backend/vmctx.js';
import { findCompiler, ToolchainError, type KilnTarget } from './cc.js';

/** Bump to invalidate every cached runtime (e.g. when the flags below change meaning). */
const CACHE_FORMAT = 'kiln-runtime-1';

/** Sources of the two entry points; everything else goes into the archive. */
const ENTRY_SOURCES = { command: 'main.c', spec: 'spec_driver.c' } as const;
export type EntryKind = keyof typeof ENTRY_SOURCES;

const CFLAGS = [
  '-std=gnu11',
  '-O2',
  '-g',
  '-pthread',
  '-Wall',
  '-Wextra',
  '-fno-strict-aliasing',
  '-fno-omit-frame-pointer',
  '-ffunction-sections',
  '-fdata-sections',
];

export interface RuntimeBuild {
  target: KilnTarget;
  /** Cache directory holding everything below. */
  dir: string;
  archive: string;
  /** Entry object per kind: `command` (WASI command main) and `spec` (spec driver main). */
  entries: Record<EntryKind, string>;
  /** Directory containing the generated kiln_rt.h. */
  includeDir: string;
  hash: string;
}

/** Directory of the runtime's C sources (works from the source tree and from dist/). */
export function runtimeSourceDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'src', 'runtime-c');
    if (existsSync(join(candidate, 'instance.c'))) return candidate;
    dir = dirname(dir);
  }
  throw new ToolchainError('cannot find the runtime sources (src/runtime-c)');
}

export function kilnCacheDir(): string {
  return process.env.KILN_CACHE_DIR || join(homedir(), '.cache', 'kiln');
}

const inProcess = new Map<string, Promise<RuntimeBuild>>();

/** Forgets in-process builds (tests use it to race two builds as two processes would). */
export function forgetRuntimeBuilds(): void {
  inProcess.clear();
}

/** The runtime for `target`, built if not cached. */
export function buildRuntime(target: KilnTarget, opts: { cacheDir?: string } = {}): Promise<RuntimeBuild> {
  const cc = findCompiler(target);
  const srcDir = runtimeSourceDir();
  const header = generateRuntimeHeader();
  const sources = readdirSync(srcDir)
    .filter((f) => f.endsWith('.c') || f.endsWith('.h'))
    .filter((f) => f !== 'kiln_rt.h') // generated, never taken from the source tree
    .sort();
  const h = createHash('sha256');
  h.update(`${CACHE_FORMAT}\0${target}\0${cc.cc}\0${CFLAGS.join(' ')}\0kiln_rt.h\0${header}\0`);
  for (const f of sources) h.update(`${f}\0${readFileSync(join(srcDir, f), 'utf8')}\0`);
  const hash = h.digest('hex').slice(0, 20);
  const root = join(opts.cacheDir ?? kilnCacheDir(), 'runtime');
  const dir = join(root, `${target}-${hash}`);
  const key = dir;
  let p = inProcess.get(key);
  if (!p) {
    p = build(target, cc.cc, cc.ar, srcDir, sources, header, root, dir, hash);
    inProcess.set(key, p);
    p.catch(() => inProcess.delete(key));
  }
  return p;
}

function resultFor(target: KilnTarget, dir: string, hash: string): RuntimeBuild {
  return {
    target,
    dir,
    archive: join(dir, 'libkiln_rt.a'),
    entries: { command: join(dir, 'main_command.o'), spec: join(dir, 'main_spec.o') },
    includeDir: dir,
    hash,
  };
}

const STAMP = 'complete';

async function build(
  target: KilnTarget,
  cc: string,
  ar: string,
  srcDir: string,
  sources: string[],
  header: string,
  root: string,
  dir: string,
  hash: string,
): Promise<RuntimeBuild> {
  if (existsSync(join(dir, STAMP))) return resultFor(target, dir, hash);
  await mkdir(root, { recursive: true });
  const tmp = await mkdtemp(join(root, `.tmp-${target}-`));
  try {
    await writeFile(join(tmp, 'kiln_rt.h'), header);
    const cfiles = sources.filter((f) => f.endsWith('.c'));
    const entryFiles = new Set<string>(Object.values(ENTRY_SOURCES));
    const objName = (f: string): string =>
      f === ENTRY_SOURCES.command ? 'main_command.o' : f === ENTRY_SOURCES.spec ? 'main_spec.o' : f.replace(/\.c$/, '.o');
    const compile = async (f: string): Promise<void> => {
      const r = await execa(cc, [...CFLAGS, '-I', tmp, '-I', srcDir, '-c', join(srcDir, f), '-o', join(tmp, objName(f))], {
        reject: false,
        all: true,
      });
      if (r.exitCode !== 0) throw new ToolchainError(`compiling runtime ${f} for ${target} failed:\n${r.all ?? ''}`);
    };
    // Two at a time: the build machines are small and shared.
    const queue = [...cfiles];
    const worker = async (): Promise<void> => {
      for (let f = queue.shift(); f !== undefined; f = queue.shift()) await compile(f);
    };
    await Promise.all([worker(), worker()]);
    const libObjs = cfiles.filter((f) => !entryFiles.has(f)).map((f) => join(tmp, objName(f)));
    const r = await execa(ar, ['rcs', join(tmp, 'libkiln_rt.a'), ...libObjs], { reject: false, all: true });
    if (r.exitCode !== 0) throw new ToolchainError(`archiving the ${target} runtime failed:\n${r.all ?? ''}`);
    await writeFile(join(tmp, STAMP), `${hash}\n`);
    try {
      await rename(tmp, dir);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      // Another build won the race and its directory is complete: use it.
      if ((code === 'EEXIST' || code === 'ENOTEMPTY') && existsSync(join(dir, STAMP))) {
        await rm(tmp, { recursive: true, force: true });
      } else {
        throw e;
      }
    }
    return resultFor(target, dir, hash);
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
}
