// Waiting on events with a deadline, for integration tests: tests wait for the next snapshot or a
// close, never for a fixed time. Runs per received event and per wait.

/** Reject with a message naming what was awaited if `promise` has not settled within `timeoutMs`. */
export function withTimeout<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

interface Waiter<T> {
  predicate: (item: T) => boolean;
  resolve: (item: T) => void;
  reject: (error: Error) => void;
}

/**
 * Everything an event source emitted, in order, and promises for future items. Once ended (the
 * socket closed), pending and later waits reject at once with the reason instead of timing out.
 */
export class EventLog<T> {
  readonly items: T[] = [];
  private readonly waiters = new Set<Waiter<T>>();
  private endedBecause: string | undefined;

  push(item: T): void {
    this.items.push(item);
    for (const waiter of this.waiters) {
      if (!waiter.predicate(item)) continue;
      this.waiters.delete(waiter);
      waiter.resolve(item);
    }
  }

  /** No more items will come; waits reject with `reason`. */
  end(reason: string): void {
    this.endedBecause ??= reason;
    for (const waiter of this.waiters) waiter.reject(new Error(`${reason} while waiting`));
    this.waiters.clear();
  }

  get last(): T | undefined {
    return this.items[this.items.length - 1];
  }

  /** The first item pushed after this call that matches `predicate`. */
  next(what: string, timeoutMs: number, predicate: (item: T) => boolean = () => true): Promise<T> {
    if (this.endedBecause !== undefined) {
      return Promise.reject(new Error(`${this.endedBecause} before ${what}`));
    }
    let waiter: Waiter<T> | undefined;
    const promise = new Promise<T>((resolve, reject) => {
      waiter = { predicate, resolve, reject };
      this.waiters.add(waiter);
    });
    return withTimeout(promise, timeoutMs, what).finally(() => this.waiters.delete(waiter!));
  }

  /** The first item so far or in future that matches `predicate`. */
  find(what: string, timeoutMs: number, predicate: (item: T) => boolean = () => true): Promise<T> {
    return this.findFrom(0, what, timeoutMs, predicate);
  }

  /** The first item at index `from` or later (in `items`, or still to come) that matches `predicate`. */
  findFrom(from: number, what: string, timeoutMs: number, predicate: (item: T) => boolean = () => true): Promise<T> {
    for (let i = from; i < this.items.length; i++)
      if (predicate(this.items[i]!)) return Promise.resolve(this.items[i]!);
    return this.next(what, timeoutMs, predicate);
  }
}
