/** Test helpers: assemble Wasm text with wabt's wat2wasm, then load and translate. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadModule, type ValidatedModule } from '../../src/frontend/validate.js';
import { translateModule } from '../../src/frontend/translate.js';
import type { IrModule } from '../../src/ir/module.js';
import { formatVerifyError, verifyModule } from '../../src/ir/verify.js';

/** Binary of a module in the text format (names kept, so IR functions are named). */
export function wat(text: string): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), 'kiln-translate-'));
  try {
    writeFileSync(join(dir, 'm.wat'), text);
    execFileSync('wat2wasm', ['--debug-names', join(dir, 'm.wat'), '-o', join(dir, 'm.wasm')], { stdio: 'pipe' });
    return new Uint8Array(readFileSync(join(dir, 'm.wasm')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function load(bytes: Uint8Array): ValidatedModule {
  const r = loadModule(bytes);
  if (!r.ok) throw new Error(`module does not load: ${r.error.message}`);
  return r.value;
}

/** Translate and verify (throws with the verifier's report). */
export function translateWat(text: string): { vm: ValidatedModule; m: IrModule; bytes: Uint8Array } {
  const bytes = wat(text);
  const vm = load(bytes);
  const r = translateModule(vm);
  if (!r.ok) throw new Error(`translation failed: ${r.error.message}`);
  const errors = verifyModule(r.value);
  if (errors.length > 0) throw new Error(`translation does not verify:\n${errors.map(formatVerifyError).join('\n')}`);
  return { vm, m: r.value, bytes };
}
