import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LLVMUnavailableError, loadLLVM } from '../../../src/backend/llvm/load.js';

describe('optional LLVM tier loading', () => {
  // The set-up installs llvm-14-dev, so the addon is expected to have built; where it did not, the error must say what to do.
  const built = existsSync('node_modules/llvm-bindings/build/Release/llvm-bindings.node');

  it.runIf(built)('loads llvm-bindings lazily when it was built', () => {
    const llvm = loadLLVM();
    expect(typeof llvm.LLVMContext).toBe('function');
    expect(loadLLVM()).toBe(llvm);
  });

  it.skipIf(built)('explains how to get it when it is missing', () => {
    expect(() => loadLLVM()).toThrow(LLVMUnavailableError);
    expect(() => loadLLVM()).toThrow(/llvm-14-dev/);
  });
});
