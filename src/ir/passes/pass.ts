/**
 * What a pass is. Each pass lives in its own file, exports one `Pass`, and says
 * which analyses it needs and which it keeps valid; the pipeline caches analyses
 * between passes on that basis. A pass must leave the function valid (the verifier
 * runs after each pass in tests).
 */
import { computeDominators, type DomTree } from '../dom.js';
import type { Func } from '../func.js';
import type { IrModule } from '../module.js';
import type { InlineCallees } from './inline.js';

export type Analysis = 'dom';

export interface PassContext {
  /** The enclosing module, when known (passes may use it for types of globals/calls). */
  readonly module?: IrModule;
  /** Index of the function being optimised in the module's function space, when known. */
  readonly funcIndex?: number;
  /** Other functions' bodies as translated, for inlining (absent: no inlining). */
  readonly callees?: InlineCallees;
  /** Dominator tree of `f`, computed on demand and cached while passes preserve it. */
  dom(f: Func): DomTree;
}

export interface Pass {
  readonly name: string;
  readonly description: string;
  /** Analyses the pass queries through the context. */
  readonly needs: readonly Analysis[];
  /** Analyses still valid after the pass (everything else is recomputed). */
  readonly preserves: readonly Analysis[];
  /** Transform `f` in place; returns whether anything changed. */
  run(f: Func, ctx: PassContext): boolean;
}

/** A context with a per-function dominator cache the pipeline invalidates. */
export class AnalysisCache implements PassContext {
  private readonly doms = new WeakMap<Func, DomTree>();
  constructor(
    readonly module?: IrModule,
    readonly funcIndex?: number,
    readonly callees?: InlineCallees,
  ) {}

  dom(f: Func): DomTree {
    let d = this.doms.get(f);
    if (!d) {
      d = computeDominators(f);
      this.doms.set(f, d);
    }
    return d;
  }

  /** Forget analyses of `f` that `pass` does not preserve. */
  invalidate(f: Func, pass: Pass): void {
    if (!pass.preserves.includes('dom')) this.doms.delete(f);
  }
}
