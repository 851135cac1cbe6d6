// The password lock-out (rate-limiter-flexible on Redis, so every signalling instance counts
// together) and the cap on concurrent argon2 runs (per process: that is where the CPU and
// the 64 MiB per run are spent).
//
// Every password attempt takes one point from its e-mail's budget (`maxFailures`) and one
// from its address's (`maxFailuresPerIp`) BEFORE argon2 runs: the consume is atomic in Redis,
// so twenty parallel attempts against a budget of five evaluate at most five passwords, and
// the right password sent after the budget is spent is refused like any other. A success
// gives the address its point back and clears the e-mail's counter (the owner has proved
// themselves; the window ends it anyway); an attempt that never reached argon2 (the server
// too busy, an error on the way) gives both points back. The failure that spends the last
// point locks for `lockSeconds` from then. An unknown e-mail is counted exactly like a known
// one, so the answers never tell whether an account exists.
import { availableParallelism } from 'node:os';
import type { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { checkPassword } from './passwords.ts';

export interface SignInGuardOptions {
  maxFailures: number;
  lockSeconds: number;
  /** Failures from one address before it is locked too (default 10 × maxFailures). */
  maxFailuresPerIp?: number;
  /** argon2 runs at once in this process (default: the cores, at most 4 — libuv's thread pool). */
  maxConcurrentChecks?: number;
  /** argon2 runs at once for one address (default 2); more wait their turn. */
  maxConcurrentChecksPerAddress?: number;
  /** How long an attempt waits for a free slot before it is turned away with 429 (default 5000 ms). */
  maxWaitMs?: number;
  /** Attempts waiting for a slot at most; beyond that they are turned away at once (default 64). */
  maxWaiting?: number;
  keyPrefix?: string;
}

export type GuardVerdict = { locked: false } | { locked: true; retryAfterSeconds: number };

/** No argon2 slot came free in time: the attempt was refunded; ask the caller to retry shortly. */
export class GuardBusy extends Error {
  readonly retryAfterSeconds: number;
  constructor(retryAfterSeconds: number) {
    super('too many password checks at once');
    this.name = 'GuardBusy';
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** One password attempt whose points are already taken; settle it exactly once. */
export interface Attempt {
  /** checkPassword under the concurrency caps; throws GuardBusy (attempt refunded) when no slot came free in time. */
  checkPassword(storedHash: string | null, password: string): Promise<boolean>;
  /** Right credentials: the address's point back, the e-mail's counter cleared. */
  succeeded(): Promise<void>;
  /** Wrong credentials: the points stay spent; answers whether this failure has just locked the e-mail or the address. */
  failed(): Promise<GuardVerdict>;
  /** Never evaluated after all (an error on the way): both points go back. */
  refund(): Promise<void>;
}

export type AttemptStart = { locked: false; attempt: Attempt } | { locked: true; retryAfterSeconds: number };

export class SignInGuard {
  private readonly byAccount: RateLimiterRedis;
  private readonly byIp: RateLimiterRedis;
  private readonly slots: Slots;
  private readonly maxWaitMs: number;

  constructor(redis: Redis, options: SignInGuardOptions) {
    const prefix = options.keyPrefix ?? 'dp:signin';
    this.byAccount = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `${prefix}:account`,
      points: options.maxFailures,
      duration: options.lockSeconds,
      blockDuration: options.lockSeconds,
    });
    this.byIp = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `${prefix}:ip`,
      points: options.maxFailuresPerIp ?? options.maxFailures * 10,
      duration: options.lockSeconds,
      blockDuration: options.lockSeconds,
    });
    this.slots = new Slots(
      options.maxConcurrentChecks ?? Math.max(1, Math.min(4, availableParallelism())),
      options.maxConcurrentChecksPerAddress ?? 2,
      options.maxWaiting ?? 64,
    );
    this.maxWaitMs = options.maxWaitMs ?? 5000;
  }

  /** Takes one point from the e-mail's and the address's budgets, before anything is checked. */
  async begin(email: string, ip: string): Promise<AttemptStart> {
    const [account, address] = await Promise.allSettled([this.byAccount.consume(email), this.byIp.consume(ip)]);
    const refused = [account, address].filter((r) => r.status === 'rejected').map((r) => r.reason as unknown);
    if (refused.length > 0) {
      // A refused attempt costs the other budget nothing (a locked address must not use up an account's).
      if (account.status === 'fulfilled') await this.byAccount.reward(email);
      if (address.status === 'fulfilled') await this.byIp.reward(ip);
      const error = refused.find((r) => !(r instanceof RateLimiterRes));
      if (error) throw error; // Redis is down: sign-in fails closed, the router answers 500
      return { locked: true, retryAfterSeconds: Math.max(...(refused as RateLimiterRes[]).map(seconds)) };
    }
    const accountLeft = (account as PromiseFulfilledResult<RateLimiterRes>).value.remainingPoints;
    const addressLeft = (address as PromiseFulfilledResult<RateLimiterRes>).value.remainingPoints;
    return { locked: false, attempt: this.attempt(email, ip, { account: accountLeft === 0, address: addressLeft === 0 }) };
  }

  private attempt(email: string, ip: string, lastPoint: { account: boolean; address: boolean }): Attempt {
    let settled = false;
    const once = () => {
      if (settled) throw new Error('a sign-in attempt was settled twice');
      settled = true;
    };
    return {
      checkPassword: async (storedHash, password) => {
        const release = await this.slots.acquire(ip, this.maxWaitMs);
        if (!release) {
          once();
          await Promise.all([this.byAccount.reward(email), this.byIp.reward(ip)]);
          throw new GuardBusy(Math.max(1, Math.ceil(this.maxWaitMs / 1000)));
        }
        try {
          return await checkPassword(storedHash, password);
        } finally {
          release();
        }
      },
      succeeded: async () => {
        once();
        await Promise.all([this.byAccount.delete(email), this.byIp.reward(ip)]);
      },
      failed: async () => {
        once();
        // Only the attempt that took the last point locks (a parallel one may finish first:
        // the requests after it are refused by the spent budget all the same).
        if (!lastPoint.account && !lastPoint.address) return { locked: false };
        // The last allowed failure: the lock runs its full length from now.
        await Promise.all([
          lastPoint.account ? this.byAccount.block(email, this.byAccount.blockDuration) : null,
          lastPoint.address ? this.byIp.block(ip, this.byIp.blockDuration) : null,
        ]);
        return { locked: true, retryAfterSeconds: this.byAccount.blockDuration };
      },
      refund: async () => {
        if (settled) return;
        settled = true;
        await Promise.all([this.byAccount.reward(email), this.byIp.reward(ip)]);
      },
    };
  }
}

function seconds(res: RateLimiterRes): number {
  return Math.max(1, Math.ceil(res.msBeforeNext / 1000));
}

/**
 * A counting semaphore with a per-key cap and a bounded, first-come queue: at most `total`
 * holders, at most `perKey` with one key. `acquire` answers a release function, or null when
 * no slot came free within `waitMs` or too many are waiting already.
 */
class Slots {
  private running = 0;
  private readonly byKey = new Map<string, number>();
  private readonly waiting: { key: string; grant: (release: () => void) => void }[] = [];

  private readonly total: number;
  private readonly perKey: number;
  private readonly maxWaiting: number;

  constructor(total: number, perKey: number, maxWaiting: number) {
    this.total = total;
    this.perKey = perKey;
    this.maxWaiting = maxWaiting;
  }

  acquire(key: string, waitMs: number): Promise<(() => void) | null> {
    // Whoever waits does not fit (a release hands slots on at once), so a newcomer that fits may go.
    if (this.fits(key)) return Promise.resolve(this.take(key));
    if (this.waiting.length >= this.maxWaiting) return Promise.resolve(null);
    return new Promise((resolve) => {
      const entry = {
        key,
        grant: (release: () => void) => {
          clearTimeout(timer);
          resolve(release);
        },
      };
      const timer = setTimeout(() => {
        this.waiting.splice(this.waiting.indexOf(entry), 1);
        resolve(null);
      }, waitMs);
      this.waiting.push(entry);
    });
  }

  private fits(key: string): boolean {
    return this.running < this.total && (this.byKey.get(key) ?? 0) < this.perKey;
  }

  private take(key: string): () => void {
    this.running++;
    this.byKey.set(key, (this.byKey.get(key) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.running--;
      const left = this.byKey.get(key)! - 1;
      if (left === 0) this.byKey.delete(key);
      else this.byKey.set(key, left);
      this.next();
    };
  }

  /** Hands free slots to the earliest waiters that fit (one busy address does not hold up the others). */
  private next(): void {
    for (let i = 0; i < this.waiting.length && this.running < this.total;) {
      const w = this.waiting[i]!;
      if (this.fits(w.key)) {
        this.waiting.splice(i, 1);
        w.grant(this.take(w.key));
      } else i++;
    }
  }
}
