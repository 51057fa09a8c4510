// Test helper: wait for real I/O (loopback sockets) to reach a state, checking each event-loop turn.

/** Resolve once `condition` holds, checking each event-loop turn; fail after 2 s. */
export async function until(condition: () => boolean): Promise<void> {
  const deadline = performance.now() + 2000;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error('condition not reached in 2 s');
    await new Promise((resolve) => setImmediate(resolve));
  }
}
