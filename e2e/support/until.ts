// Polling for a condition in browser end-to-end tests that span processes (cluster, room moves):
// once per check, every 100 ms, for at most 30 s.

/** Poll `condition` every 100 ms until it holds (a throw counts as not yet); fail naming `what` after 30 s. */
export async function until(what: string, condition: () => Promise<boolean>): Promise<void> {
  const deadline = performance.now() + 30_000;
  for (;;) {
    try {
      if (await condition()) return;
    } catch {
      // not yet
    }
    if (performance.now() > deadline) throw new Error(`${what}: not reached in 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
