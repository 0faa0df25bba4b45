/** The spec engines `kiln spec --engine` can name. */
import type { SpecEngine } from './engine.js';
import { validateEngine } from './engine-validate.js';
import { aarch64LinuxEngine, x64LinuxEngine } from './engine-native.js';
import { interpEngine } from './engine-interp.js';

export const SPEC_ENGINES: readonly SpecEngine[] = [validateEngine, x64LinuxEngine, aarch64LinuxEngine, interpEngine];

export function findEngine(name: string): SpecEngine | undefined {
  return SPEC_ENGINES.find((e) => e.name === name);
}
