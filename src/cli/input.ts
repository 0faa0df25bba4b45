/** Reading input files for commands, with errors phrased for users rather than stack traces. */
import { readFileSync } from 'node:fs';

export type ReadResult = { ok: true; bytes: Uint8Array } | { ok: false; message: string };

export function readInputFile(path: string): ReadResult {
  try {
    return { ok: true, bytes: readFileSync(path) };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : String(e);
    return { ok: false, message: `${path}: cannot read: ${why}` };
  }
}
