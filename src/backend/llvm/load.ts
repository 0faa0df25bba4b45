/**
 * The LLVM tier is optional: llvm-bindings is a native addon built against Debian's
 * llvm-14-dev at install time, so it may be absent. Load it only when `--backend llvm`
 * asks for it, and say plainly what to install when it is missing.
 */
import { createRequire } from 'node:module';

/**
 * The addon's API, typed loosely on purpose: kiln must build and run where the
 * optional package is absent, so no type may come from it at compile time.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type LLVMModule = Record<string, any>;

export class LLVMUnavailableError extends Error {}

let cached: LLVMModule | undefined;

export function loadLLVM(): LLVMModule {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  try {
    cached = require('llvm-bindings') as LLVMModule;
    return cached;
  } catch (e) {
    const detail = e instanceof Error ? e.message.split('\n')[0] : String(e);
    throw new LLVMUnavailableError(
      `the LLVM backend needs the optional package llvm-bindings, which is not installed or did not build (${detail}). ` +
        'Install Debian packages llvm-14 and llvm-14-dev (toolchain/setup.sh does), then run npm ci; or use the default backend.',
    );
  }
}
