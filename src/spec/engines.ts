/** The spec engines `kiln spec --engine` can name, and how each is created for a run's options. */
import type { SpecEngine } from './engine.js';
import { validateEngine } from './engine-validate.js';
import { nativeEngine } from './engine-native.js';
import { interpEngine } from './engine-interp.js';

export interface EngineOptions {
  /** IR optimisation level for compiling engines (default 2, as `kiln compile`). */
  optLevel?: 0 | 1 | 2;
  /** Memory bounds strategy for native engines (default guard). */
  bounds?: 'guard' | 'explicit';
}

interface EngineEntry {
  name: string;
  description: string;
  create(opts: EngineOptions): SpecEngine;
}

const ENTRIES: readonly EngineEntry[] = [
  { name: 'validate', description: validateEngine.description, create: () => validateEngine },
  { name: 'interp', description: interpEngine.description, create: () => interpEngine },
  {
    name: 'x86_64-linux',
    description: 'compile natively for x86-64 Linux and run with the runtime spec driver',
    create: (o) => nativeEngine({ target: 'x86_64', name: 'x86_64-linux', optLevel: o.optLevel ?? 2, bounds: o.bounds }),
  },
  {
    name: 'aarch64-linux',
    description: 'compile for AArch64 Linux and run under qemu-aarch64 (natively on an AArch64 host)',
    create: (o) =>
      nativeEngine({
        target: 'aarch64',
        name: 'aarch64-linux',
        optLevel: o.optLevel ?? 2,
        bounds: o.bounds,
        timeoutMs: 300_000,
      }),
  },
];

export const ENGINE_NAMES: readonly string[] = ENTRIES.map((e) => e.name);

export function describeEngines(): string {
  return ENTRIES.map((e) => `${e.name} (${e.description})`).join('; ');
}

export function createEngine(name: string, opts: EngineOptions = {}): SpecEngine | undefined {
  return ENTRIES.find((e) => e.name === name)?.create(opts);
}
