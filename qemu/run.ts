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
  /** Kill after this long (default 60 s). */
  timeoutMs?: number;
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
  const [cmd, ...prefix] = [...runnerFor(target), path];
  const r = await execa(cmd!, [...prefix, ...args], {
    reject: false,
    stripFinalNewline: false,
    input: opts.input ?? '',
    env: opts.env,
    extendEnv: opts.env === undefined,
    cwd: opts.cwd,
    timeout: opts.timeoutMs ?? 60_000,
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
