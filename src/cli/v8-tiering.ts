/**
 * How V8 optimises kiln's own code during a one-shot compile (`kiln compile`, `kiln run`).
 *
 * V8 sends a JS function to TurboFan once it has run a budget of bytecode (the "interrupt
 * budget", 66 KB by default). kiln's compiler has a few hundred hot functions, many of
 * them large, so a first compile of a ~140 KB module spends more CPU in TurboFan (on a
 * background thread, but on a 2-core machine that is the other core) than TurboFan's code
 * later saves: measured on vm.wasm, 1.5–2.5 CPU s with the default budget against
 * 0.7–0.9 s with TurboFan off. Off altogether, though, a 1 MB-of-code module takes 62 CPU
 * s instead of 28. A budget ~30× the default gets both: short compiles finish on
 * Ignition/Sparkplug code, long ones still optimise what stays hot (28 CPU s on that
 * module).
 *
 * Long-lived commands (`kiln spec`, `kiln bench`, the test suite) keep V8's default: they
 * compile hundreds of modules and want kiln optimised early.
 */
import { setFlagsFromString } from 'node:v8';

/** Bytecode a function runs before V8 optimises it, in a one-shot compile (default 67584). */
export const ONE_SHOT_INTERRUPT_BUDGET = 2_000_000;

/**
 * Raise V8's interrupt budget for the rest of this process (worker threads included: V8
 * flags are per process). Takes effect as each function's budget is next reset.
 */
export function tuneV8ForOneShotCompile(): void {
  setFlagsFromString(`--interrupt-budget=${ONE_SHOT_INTERRUPT_BUDGET}`);
}
