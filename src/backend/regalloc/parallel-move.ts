/**
 * Turning a parallel move (all sources read, then all destinations written) into a
 * sequence of single moves.
 *
 * Locations are numbers: a physical register (>= 0) or a spill slot encoded as
 * `-1 - slot`. Every slot belongs to one virtual register, so a parallel move never
 * reads and writes the same slot and slot-to-slot moves do not occur. That makes the
 * order simple: stores (register → slot) first, while every source register still
 * holds its old value; then register-to-register moves, cycles broken through a
 * scratch location; then reloads (slot → register), which may overwrite registers the
 * earlier steps read.
 */

import type { RegClass } from '../minst.js';

export type Loc = number;
export const slotLoc = (slot: number): Loc => -1 - slot;
export const isSlot = (loc: Loc): boolean => loc < 0;
export const slotOf = (loc: Loc): number => -1 - loc;

export interface PMove {
  src: Loc;
  dst: Loc;
  cls: RegClass;
}

/**
 * `scratch(cls)` returns a location free at this point (a register holding nothing live,
 * or a dedicated scratch slot); it is called only when a cycle exists.
 */
export function sequentialize(moves: readonly PMove[], scratch: (cls: RegClass) => Loc): PMove[] {
  if (moves.length === 1) {
    // The common case: one move, no order to find.
    const m = moves[0]!;
    if (m.src === m.dst) return [];
    if (isSlot(m.src) && isSlot(m.dst)) throw new Error('regalloc: slot-to-slot move');
    return [m];
  }
  const dsts = new Set<Loc>();
  for (const m of moves) {
    if (dsts.has(m.dst)) throw new Error(`regalloc: parallel move writes ${m.dst} twice`);
    dsts.add(m.dst);
    if (isSlot(m.src) && isSlot(m.dst) && m.src !== m.dst) throw new Error('regalloc: slot-to-slot move');
  }
  const real = moves.filter((m) => m.src !== m.dst);
  const out: PMove[] = real.filter((m) => isSlot(m.dst));
  const loads = real.filter((m) => isSlot(m.src));
  const pending = real.filter((m) => !isSlot(m.src) && !isSlot(m.dst)).map((m) => ({ ...m }));
  let guard = 2 * pending.length + 2;
  while (pending.length > 0) {
    if (--guard < 0) throw new Error(`regalloc: parallel move does not resolve: ${JSON.stringify(pending)}`);
    const ready = pending.findIndex((m) => !pending.some((o) => o !== m && o.src === m.dst));
    if (ready >= 0) {
      out.push(pending[ready]!);
      pending.splice(ready, 1);
      continue;
    }
    // Every remaining destination is still needed as a source: a cycle. Park one
    // destination's current value in the scratch location and read it from there.
    const m = pending[0]!;
    const tmp = scratch(m.cls);
    if (pending.some((o) => o.dst === tmp || o.src === tmp)) throw new Error(`regalloc: scratch location ${tmp} is in use`);
    out.push({ src: m.dst, dst: tmp, cls: m.cls });
    for (const o of pending) if (o.src === m.dst) o.src = tmp;
  }
  return out.concat(loads);
}
