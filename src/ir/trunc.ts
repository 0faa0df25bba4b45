/**
 * The domain of Wasm's trapping float→int truncation (the `iNN.check_trunc_fMM_{s,u}`
 * ops): ONE definition, read by constant folding and by both instruction selectors.
 * NaN traps "invalid conversion to integer"; a value outside the range traps "integer
 * overflow".
 */

export const TWO31 = 2147483648;
export const TWO32 = 4294967296;
export const TWO63 = 9223372036854775808;
export const TWO64 = 18446744073709551616;

export interface TruncRange {
  lo: number;
  /** `lo <= x` when true, `lo < x` otherwise. */
  loIncl: boolean;
  /** Always exclusive: `x < hi`. */
  hi: number;
}

/**
 * The range a float must be in for the trapping truncation to `ity` to succeed, with
 * each limit exactly representable in `fty` (so a backend can compare against it as a
 * constant of that type).
 */
export function truncRange(ity: 'i32' | 'i64', fty: 'f32' | 'f64', signed: boolean): TruncRange {
  if (ity === 'i32') {
    if (!signed) return { lo: -1, loIncl: false, hi: TWO32 };
    return fty === 'f32' ? { lo: -TWO31, loIncl: true, hi: TWO31 } : { lo: -TWO31 - 1, loIncl: false, hi: TWO31 };
  }
  if (!signed) return { lo: -1, loIncl: false, hi: TWO64 };
  return { lo: -TWO63, loIncl: true, hi: TWO63 };
}

/** True when the (non-NaN) float `x` lies in `r`. */
export function inTruncRange(x: number, r: TruncRange): boolean {
  return (r.loIncl ? x >= r.lo : x > r.lo) && x < r.hi;
}
