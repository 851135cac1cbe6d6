/**
 * The room's sense of time: what time it is, and "call me back in `ms`". Production uses the
 * system clock; the in-process room tests (test/room.test.ts) use a manual one, so the resume
 * grace and the 60-minute limit are checked in milliseconds instead of waited for.
 */
export interface Clock {
  /** Milliseconds since the epoch, like `Date.now()`. */
  now(): number;
  /** Calls `fn` once after `ms` (never sooner); `cancel` stops it. The timer keeps no process alive. */
  after(ms: number, fn: () => void): { cancel(): void };
}

/** setTimeout holds at most ~24.8 days; longer waits go in steps. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

export const systemClock: Clock = {
  now: () => Date.now(),
  after(ms, fn) {
    let timer: NodeJS.Timeout;
    const due = Date.now() + ms;
    const arm = (left: number) => {
      timer = setTimeout(() => (Date.now() < due ? arm(due - Date.now()) : fn()), Math.min(Math.max(0, left), MAX_TIMEOUT_MS));
      timer.unref();
    };
    arm(ms);
    return { cancel: () => clearTimeout(timer) };
  },
};
