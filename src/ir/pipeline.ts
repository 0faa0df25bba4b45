/**
 * The optimisation pipeline: which passes run at each -O level, in order.
 *
 *   -O0  nothing (the translator's IR goes straight to instruction selection)
 *   -O1  fold → simplify-cfg → dce
 *   -O2  inline → fold → simplify-cfg → gvn → licm → fold → dce → simplify-cfg
 *
 * With `verify: true` (tests, `--verify-ir`) the verifier runs on the input and after
 * every pass; the first failure stops the pipeline and is returned, naming the pass.
 */
import type { Func } from './func.js';
import type { IrModule } from './module.js';
import { boundsInsert, checkElim } from './passes/check-elim.js';
import { dce } from './passes/dce.js';
import { fold } from './passes/fold.js';
import { gvn } from './passes/gvn.js';
import { inline, InlineCallees } from './passes/inline.js';
import { licm } from './passes/licm.js';
import { AnalysisCache, type Pass } from './passes/pass.js';
import { simplifyCfg } from './passes/simplify-cfg.js';
import { verifyFunc, type VerifyError } from './verify.js';

export type OptLevel = 0 | 1 | 2;

export const PASSES: readonly Pass[] = [fold, simplifyCfg, dce, gvn, licm, inline, boundsInsert, checkElim];

export const PIPELINES: Readonly<Record<OptLevel, readonly Pass[]>> = {
  0: [],
  1: [fold, simplifyCfg, dce],
  2: [inline, fold, simplifyCfg, gvn, licm, fold, dce, simplifyCfg],
};

export function passByName(name: string): Pass | undefined {
  return PASSES.find((p) => p.name === name);
}

export interface PipelineOptions {
  /** Verify the input and the output of every pass. */
  verify?: boolean;
  /** Module context for passes and the verifier. */
  module?: IrModule;
  /** Index of the function in the module (inlining never inlines a function into itself). */
  funcIndex?: number;
  /** Bodies to inline from (passes/inline.ts); without them the inline pass does nothing. */
  callees?: InlineCallees;
  /** Called after each pass (for `--print-after-all` style debugging). */
  afterPass?: (pass: Pass, f: Func, changed: boolean) => void;
}

/**
 * Run an -O level's passes (or an explicit list) over `f` in place. Returns the
 * verifier errors that stopped it (empty on success), each message prefixed with the
 * pass after which it was found.
 */
export function runPipeline(f: Func, passes: OptLevel | readonly Pass[], opts: PipelineOptions = {}): VerifyError[] {
  const list = typeof passes === 'number' ? PIPELINES[passes] : passes;
  const ctx = new AnalysisCache(opts.module, opts.funcIndex, opts.callees);
  const check = (stage: string): VerifyError[] => {
    if (!opts.verify) return [];
    return verifyFunc(f, opts.module).map((e) => ({ ...e, message: `${stage}: ${e.message}` }));
  };
  const before = check('before optimisation');
  if (before.length > 0) return before;
  for (const pass of list) {
    const changed = pass.run(f, ctx);
    if (changed) ctx.invalidate(f, pass);
    opts.afterPass?.(pass, f, changed);
    const errors = check(`after ${pass.name}`);
    if (errors.length > 0) return errors;
  }
  return [];
}

/** Optimise every function body of a module. */
export function optimizeModule(m: IrModule, level: OptLevel, opts: Omit<PipelineOptions, 'module'> = {}): VerifyError[] {
  const errors: VerifyError[] = [];
  const callees = PIPELINES[level].includes(inline) ? InlineCallees.snapshot(m) : undefined;
  m.funcs.forEach((decl, i) => {
    if (decl.body) errors.push(...runPipeline(decl.body, level, { ...opts, module: m, funcIndex: i, callees }));
  });
  return errors;
}
