/**
 * Reproductions of pass bugs met while running translated spec modules through -O2
 * (see KNOWN_O2_FAILURES in spec-helper.ts). Each is `it.fails`: when the pass is
 * fixed the test fails, and the entry (and this test) should be removed.
 */
import { describe, expect, it } from 'vitest';
import { parseFunc } from '../../src/ir/parse.js';
import { runPipeline } from '../../src/ir/pipeline.js';
import { simplifyCfg } from '../../src/ir/passes/simplify-cfg.js';
import { formatVerifyError, verifyFunc } from '../../src/ir/verify.js';

describe('known pass bugs', () => {
  // From if.wast:3 func 27: `(block (result i32) (if (result i32) (local.get 0) (then 1) (else 0)))`.
  // simplify-cfg replaces block4's param by v3 (its only incoming value), then threads
  // the jump block3 → block4 although v3, block3's own param, is now used in block4.
  it.fails('simplify-cfg: jump threading keeps params used beyond the jump block', () => {
    const src = `func "f27" (i32) -> (i32) {
block0(v0: i32):
  br_if v0, block1, block2
block1:
  v1 = i32.const 1
  br block3(v1)
block2:
  v2 = i32.const 0
  br block3(v2)
block3(v3: i32):
  br block4(v3)
block4(v4: i32):
  return v4
}
`;
    const p = parseFunc(src);
    if (!p.ok) throw new Error(p.error.message);
    expect(verifyFunc(p.value)).toEqual([]);
    expect(runPipeline(p.value, [simplifyCfg], { verify: true }).map(formatVerifyError)).toEqual([]);
  });
});
