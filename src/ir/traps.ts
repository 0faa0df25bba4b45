/**
 * Trap codes: a small, stable enum shared with the C runtime (kiln_rt.h is generated
 * from it), the trap table in object files, the interpreter and the spec runner.
 * The numbers never change meaning; new codes are appended. Messages are the spec
 * interpreter's exact wording, which the spec testsuite's `assert_trap` compares.
 *
 * Note that the spec reports out-of-range `memory.init`/`table.init` as
 * "out of bounds memory access"/"out of bounds table access", so there are no
 * separate segment-access codes.
 */
export const TrapCode = {
  /** 0 is "no trap" in the runtime's trap state; never appears in IR. */
  None: 0,
  Unreachable: 1,
  IntegerDivideByZero: 2,
  IntegerOverflow: 3,
  InvalidConversionToInteger: 4,
  OutOfBoundsMemoryAccess: 5,
  OutOfBoundsTableAccess: 6,
  UndefinedElement: 7,
  UninitializedElement: 8,
  IndirectCallTypeMismatch: 9,
  CallStackExhausted: 10,
} as const;
export type TrapCode = (typeof TrapCode)[keyof typeof TrapCode];

/** The spec's message for each code (index = code). */
export const TRAP_MESSAGES: readonly string[] = [
  'no trap',
  'unreachable',
  'integer divide by zero',
  'integer overflow',
  'invalid conversion to integer',
  'out of bounds memory access',
  'out of bounds table access',
  'undefined element',
  'uninitialized element',
  'indirect call type mismatch',
  'call stack exhausted',
];

/** Every real trap code (excludes None), in numeric order. */
export const ALL_TRAPS: readonly TrapCode[] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

export function isTrapCode(n: number): n is TrapCode {
  return Number.isInteger(n) && n >= 1 && n < TRAP_MESSAGES.length;
}

export function trapMessage(code: TrapCode): string {
  return TRAP_MESSAGES[code] ?? `unknown trap ${code}`;
}

/** The name used in IR text: the message with spaces replaced by underscores (`integer_divide_by_zero`). */
export function trapName(code: TrapCode): string {
  return trapMessage(code).replace(/ /g, '_');
}

export function trapFromName(name: string): TrapCode | undefined {
  for (const code of ALL_TRAPS) if (trapName(code) === name) return code;
  return undefined;
}

/** What the runtime prints for a trap (DESIGN §4). */
export function trapReport(code: TrapCode): string {
  return `wasm trap: ${trapMessage(code)}`;
}
