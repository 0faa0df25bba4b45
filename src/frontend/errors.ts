/**
 * Errors are values until the CLI prints them. Every decode or validation failure
 * names the byte offset in the module where the rule was broken and the rule itself,
 * worded as the spec interpreter words it where there is a spec message.
 */
export type WasmErrorKind = 'malformed' | 'invalid' | 'unlinkable' | 'uninstantiable';

export interface WasmError {
  kind: WasmErrorKind;
  /** Byte offset into the module binary. */
  offset: number;
  message: string;
}

export type Result<T, E = WasmError> = { ok: true; value: T } | { ok: false; error: E };

export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const err = <E>(error: E): Result<never, E> => ({ ok: false, error });

/** Thrown inside the decoder/validator only; caught at their entry points and turned into a WasmError value. */
export class WasmFailure extends Error {
  constructor(
    readonly kind: WasmErrorKind,
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
  toError(): WasmError {
    return { kind: this.kind, offset: this.offset, message: this.message };
  }
}

export function formatWasmError(file: string, e: WasmError): string {
  return `${file}: 0x${e.offset.toString(16)}: ${e.message}`;
}
