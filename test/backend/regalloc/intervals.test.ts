import { describe, expect, it } from 'vitest';
import { INF, Interval } from '../../../src/backend/regalloc/intervals.js';

/** Deterministic PRNG (xorshift32) so failures reproduce. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x100000000;
  };
}

/** An interval of up to `n` disjoint ranges somewhere in [0, 200). */
function randomInterval(rand: () => number, vreg: number, n: number): Interval {
  const it = new Interval(vreg, 0);
  let p = Math.floor(rand() * 20);
  const k = 1 + Math.floor(rand() * n);
  for (let i = 0; i < k && p < 200; i++) {
    const len = 1 + Math.floor(rand() * 12);
    it.ranges.push({ from: p, to: p + len });
    p += len + 1 + Math.floor(rand() * 15);
  }
  return it;
}

/** First position >= from covered by both, by brute force; INF if none below limit. */
function bruteMeet(a: Interval, b: Interval, from: number, limit: number): number {
  for (let p = from; p < Math.min(limit, 400); p++) if (a.covers(p) && b.covers(p)) return p;
  return INF;
}

describe('Interval queries used by linear scan', () => {
  it('nextIntersection matches a brute-force search', () => {
    const rand = rng(7);
    for (let t = 0; t < 400; t++) {
      const a = randomInterval(rand, 1024, 8);
      const b = randomInterval(rand, 1025, 8);
      const from = Math.floor(rand() * 220);
      const limit = rand() < 0.5 ? INF : from + Math.floor(rand() * 100);
      expect(a.nextIntersection(b, from, limit)).toBe(bruteMeet(a, b, from, limit));
    }
  });

  it('meetFromCursor equals nextIntersection from cur.start wherever the scan cursor stands', () => {
    const rand = rng(11);
    for (let t = 0; t < 400; t++) {
      const a = randomInterval(rand, 1024, 10);
      const cur = randomInterval(rand, 1025, 6);
      // Advance a's cursor as linear scan would, to some position at or before cur.start
      // (or, to test the fallback, past it).
      const at = rand() < 0.8 ? Math.floor(rand() * (cur.start + 1)) : cur.start + Math.floor(rand() * 60);
      a.stateAt(at);
      const limit = rand() < 0.5 ? cur.end : cur.start + Math.floor(rand() * 80);
      expect(a.meetFromCursor(cur, limit)).toBe(a.nextIntersection(cur, cur.start, limit));
    }
  });

  it('stateAt, nextRangeFrom and cursorRangeEnd describe the range at the scan position', () => {
    const rand = rng(3);
    for (let t = 0; t < 100; t++) {
      const a = randomInterval(rand, 1024, 10);
      for (let p = 0; p < 230; p += 1 + Math.floor(rand() * 6)) {
        const st = a.stateAt(p);
        const r = a.ranges.find((x) => x.to > p);
        if (!r) {
          expect(st).toBe(0);
          continue;
        }
        expect(st).toBe(r.from <= p ? 1 : 2);
        expect(a.nextRangeFrom()).toBe(r.from);
        expect(a.cursorRangeEnd()).toBe(r.to);
      }
    }
  });
});
