// Counting the set bits of a mask: an entity's change mask (per changed entity per snapshot, both
// ends) and a SNAPSHOT's head (per client per snapshot).

/** How many bits of `mask` (a non-negative 32-bit integer) are set. */
export function popCount(mask: number): number {
  let count = 0;
  for (let m = mask; m !== 0; m &= m - 1) count++;
  return count;
}
