// The net graph's line on the byte budget; rebuilt once per frame while the net graph (F3) is shown.

/** Bytes with thousands separators, the same on every page whatever its locale: "1,840". */
const bytes = (value: number) => Math.round(value).toLocaleString('en-US');

/**
 * Snapshot bytes received over the last second against the room's per-client budget (WELCOME
 * budgetBytesPerSecond, 0 = none). Only snapshots count, as only they are what the server budgets;
 * a client over it (while a snapshot burst drains, say) is marked so the eye finds it.
 */
export function budgetLine(snapshotBytesPerSecond: number, budgetBytesPerSecond: number): string {
  if (budgetBytesPerSecond <= 0) return `budget     ${bytes(snapshotBytesPerSecond)} B/s snapshots, no budget`;
  const over = Math.round(snapshotBytesPerSecond) > budgetBytesPerSecond ? '  over' : '';
  return `budget     ${bytes(snapshotBytesPerSecond)} / ${bytes(budgetBytesPerSecond)} B/s${over}`;
}
