/**
 * Spec testsuite access for the frontend tests: the core .wast files, converted with
 * wast2json through kiln's own cached converter (the suite is read from ../shared).
 */
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { convertWast as convertCached } from '../../src/spec/wast2json.js';
import type { SpecCommand } from '../../src/spec/script.js';
import { coreWastFiles } from '../../src/spec/testsuite.js';

export type { SpecCommand };

export interface ConvertedWast {
  name: string;
  dir: string;
  commands: SpecCommand[];
}

export const topLevelWastFiles = coreWastFiles;

export async function convertWast(file: string): Promise<ConvertedWast> {
  const { dir, script } = await convertCached(file);
  return { name: basename(file, '.wast'), dir, commands: script.commands };
}

export function readModule(c: ConvertedWast, filename: string): Uint8Array {
  return new Uint8Array(readFileSync(join(c.dir, filename)));
}
