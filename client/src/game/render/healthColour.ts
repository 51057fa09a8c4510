// The fill colour of a health bar by how full it is, shared by the HUD's own bar and the small bars
// over other players so the two always agree; called per bar drawn (per player per frame).

/** Green above half health, yellow above a quarter, red below; `fraction` of a full bar, in [0, 1]. */
export function healthColour(fraction: number): number {
  return fraction > 0.5 ? 0x5fd068 : fraction > 0.25 ? 0xf5c423 : 0xe5483a;
}
