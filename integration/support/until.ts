// Polling for a state that spans processes (a registration in Redis, a room listed elsewhere): once
// per check, every 50 ms, for at most 20 s. Tests within one process use their own event-loop waits.

/** Poll `condition` every 50 ms until it holds (a throw counts as not yet); fail naming `what` after 20 s. */
export async function until(what: string, condition: () => Promise<boolean> | boolean): Promise<void> {
  const deadline = performance.now() + 20_000;
  const holds = async () => {
    try {
      return await condition();
    } catch {
      return false;
    }
  };
  while (!(await holds())) {
    if (performance.now() > deadline) throw new Error(`${what}: not reached in 20 s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
