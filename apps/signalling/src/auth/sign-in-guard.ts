// Repeated sign-in failures (rate-limiter-flexible on Redis, so every signalling instance
// counts together): per e-mail, `maxFailures` wrong attempts within the window lock the
// account for `lockSeconds`; per IP address, a larger budget stops one machine trying many
// accounts. An unknown e-mail is counted exactly like a known one, so the answers never
// tell whether an account exists. A successful sign-in clears the e-mail's counter.
import type { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';

export interface SignInGuardOptions {
  maxFailures: number;
  lockSeconds: number;
  /** Failures from one address before it is locked too (default 10 × maxFailures). */
  maxFailuresPerIp?: number;
  keyPrefix?: string;
}

export type GuardVerdict = { locked: false } | { locked: true; retryAfterSeconds: number };

export class SignInGuard {
  private readonly byAccount: RateLimiterRedis;
  private readonly byIp: RateLimiterRedis;
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
  }

  /** Whether this e-mail or this address is locked now (asked before the password is checked). */
  async check(email: string, ip: string): Promise<GuardVerdict> {
    const [account, address] = await Promise.all([this.byAccount.get(email), this.byIp.get(ip)]);
    const wait = Math.max(lockedFor(account, this.byAccount.points), lockedFor(address, this.byIp.points));
    return wait > 0 ? { locked: true, retryAfterSeconds: wait } : { locked: false };
  }

  /** Counts a failure; answers whether it has just locked the account or the address. */
  async failed(email: string, ip: string): Promise<GuardVerdict> {
    const results = await Promise.all([consumed(this.byAccount, email), consumed(this.byIp, ip)]);
    const wait = Math.max(...results);
    return wait > 0 ? { locked: true, retryAfterSeconds: wait } : { locked: false };
  }

  async succeeded(email: string): Promise<void> {
    await this.byAccount.delete(email);
  }
}

function lockedFor(res: RateLimiterRes | null, points: number): number {
  if (!res || res.consumedPoints < points) return 0;
  return Math.max(1, Math.ceil(res.msBeforeNext / 1000));
}

/** Seconds locked after this failure (0 while attempts remain). */
async function consumed(limiter: RateLimiterRedis, key: string): Promise<number> {
  try {
    const res = await limiter.consume(key);
    if (res.remainingPoints > 0) return 0;
    // The last allowed failure: the lock runs its full length from now.
    await limiter.block(key, limiter.blockDuration);
    return limiter.blockDuration;
  } catch (e) {
    if (e instanceof RateLimiterRes) return Math.max(1, Math.ceil(e.msBeforeNext / 1000));
    throw e; // Redis is down: sign-in must fail closed, the router answers 500
  }
}
