// The signalling process's one clock for business time: what the API, the timetable's job
// decisions, the consultation gate, the link pages, the notifications and the rooms' limits
// compare with booked times. It is the system clock — plus, for the end-to-end test harness
// only, an offset the harness moves forward (DP_TEST_CLOCK=1; refused in production, see
// config.ts), so that a consultation booked ≥ 30 minutes ahead can be held without waiting.
// Latency measurements, rate-limit windows and staff sessions stay on the real clock.
import type { Clock } from '../rooms/clock.ts';

/** setTimeout holds at most ~24.8 days; longer waits go in steps. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;
/** The harness moves the clock by hours at most at a time (a typo must not jump a year). */
export const MAX_ADVANCE_MS = 7 * 24 * 3600_000;

export interface ServerClock extends Clock {
  /** Business time as a Date (`now()` in milliseconds is the rooms' Clock). */
  date(): Date;
  /** Only the test harness's clock moves; the production one refuses `advance`. */
  readonly movable: boolean;
  /** How far the harness has moved business time ahead of the system clock. */
  offsetMs(): number;
  /**
   * Moves business time forward by `ms`: timers armed with `after` fire by the new time, and
   * every `onAdvance` listener runs (the timetable's queues hand over the jobs now due).
   */
  advance(ms: number): Promise<void>;
  onAdvance(listener: () => Promise<void>): void;
}

interface Pending {
  due: number;
  fn: () => void;
  timer?: NodeJS.Timeout;
}

export function createServerClock({ movable }: { movable: boolean }): ServerClock {
  let offset = 0;
  const pending = new Set<Pending>();
  const listeners: (() => Promise<void>)[] = [];
  const now = () => Date.now() + offset;
  // A timer waits for business time: re-armed when it wakes early or when the clock moves.
  const arm = (p: Pending) => {
    clearTimeout(p.timer);
    p.timer = setTimeout(
      () => {
        if (now() < p.due) return arm(p);
        pending.delete(p);
        p.fn();
      },
      Math.min(Math.max(0, p.due - now()), MAX_TIMEOUT_MS),
    );
    p.timer.unref();
  };
  return {
    movable,
    now,
    date: () => new Date(now()),
    offsetMs: () => offset,
    after(ms, fn) {
      const p: Pending = { due: now() + ms, fn };
      pending.add(p);
      arm(p);
      return {
        cancel: () => {
          clearTimeout(p.timer);
          pending.delete(p);
        },
      };
    },
    async advance(ms) {
      if (!movable) throw new Error('this clock is the system clock: only the test harness clock (DP_TEST_CLOCK=1) moves');
      if (!Number.isFinite(ms) || ms < 0 || ms > MAX_ADVANCE_MS) throw new RangeError(`advance by 0…${MAX_ADVANCE_MS} ms`);
      offset += ms;
      for (const p of [...pending]) arm(p);
      for (const listener of listeners) await listener();
    },
    onAdvance(listener) {
      listeners.push(listener);
    },
  };
}
