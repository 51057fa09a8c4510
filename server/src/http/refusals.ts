// Counts the HTTP refusals answered before a route or a WebSocket exists (the upgrade's checks and
// the per-peer connection limit), by status, for /healthz. Runs once per refusal.

export class Refusals {
  /** Refusals so far, by HTTP status (421 Host, 429 limits, 404 path, 401/403 access, 503, 500). */
  readonly byStatus: Record<number, number> = {};

  count(status: number): void {
    this.byStatus[status] = (this.byStatus[status] ?? 0) + 1;
  }
}
