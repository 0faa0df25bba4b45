/**
 * Running a kiln executable for a target: natively when the host is that target, otherwise
 * under qemu user-mode emulation (qemu-aarch64 / qemu-x86_64). The only place that knows how.
 */
import { execa } from 'execa';
import { findInPath, hostTarget, ToolchainError, type KilnTarget } from '../toolchain/cc.js';

export interface RunOptions {
  /** Bytes or text for stdin (default: empty). */
  input?: string | Uint8Array;
  /** Environment of the child (added to a minimal PATH; the runtime itself gives the guest none by default). */
  env?: Record<string, string>;
  cwd?: string;
  /** Kill after this long (default 60 s; 0 for no limit). */
  timeoutMs?: number;
  /** The program's argv[0] (default: its path), so a guest sees the name the user gave. */
  argv0?: string;
  /** Connect the child to this process's stdin/stdout/stderr instead of capturing them (`kiln run`). */
  inheritStdio?: boolean;
}

export interface RunResult {
  stdout: string;
  stderr: string;
  /** Exit status, or undefined when killed by a signal. */
  exitCode: number | undefined;
  /** Signal name (e.g. 'SIGSEGV') when the program died from a signal. */
  signal: string | undefined;
  timedOut: boolean;
}

const QEMU: Record<KilnTarget, { bin: string; sysroot: string }> = {
  aarch64: { bin: 'qemu-aarch64', sysroot: '/usr/aarch64-linux-gnu' },
  x86_64: { bin: 'qemu-x86_64', sysroot: '/usr/x86_64-linux-gnu' },
};

/** The command line prefix that runs a `target` executable on this host. */
export function runnerFor(target: KilnTarget): string[] {
  if (hostTarget() === target) return [];
  const q = QEMU[target];
  const bin = findInPath(process.env.KILN_QEMU_AARCH64 && target === 'aarch64' ? process.env.KILN_QEMU_AARCH64 : q.bin);
  if (!bin) throw new ToolchainError(`cannot run ${target} executables: ${q.bin} not found (install qemu-user)`);
  // Executables are static, so -L only matters for anything dynamically loaded.
  return [bin, '-L', q.sysroot];
}

export async function runExecutable(
  target: KilnTarget,
  path: string,
  args: readonly string[] = [],
  opts: RunOptions = {},
): Promise<RunResult> {
  const runner = runnerFor(target);
  // qemu takes the guest's argv[0] as an option; a native child gets it from the spawn call.
  const [cmd, ...prefix] = runner.length > 0 && opts.argv0 !== undefined ? [...runner, '-0', opts.argv0, path] : [...runner, path];
  const r = await execa(cmd!, [...prefix, ...args], {
    reject: false,
    stripFinalNewline: false,
    ...(opts.inheritStdio ? { stdio: 'inherit' as const } : { input: opts.input ?? '' }),
    ...(runner.length === 0 && opts.argv0 !== undefined ? { argv0: opts.argv0 } : {}),
    env: opts.env,
    extendEnv: opts.env === undefined,
    cwd: opts.cwd,
    timeout: opts.timeoutMs === 0 ? undefined : (opts.timeoutMs ?? 60_000),
    encoding: 'utf8',
  });
  return {
    stdout: String(r.stdout ?? ''),
    stderr: String(r.stderr ?? ''),
    exitCode: r.signal ? undefined : r.exitCode,
    signal: r.signal ?? undefined,
    timedOut: r.timedOut,
  };
}
