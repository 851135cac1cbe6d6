// Limits on what anyone can start from outside: socket.io connections, `join`, network-test
// starts and `/api/links/:token` look-ups. Counted in Redis (rate-limiter-flexible), so every
// signalling instance counts together.
//
// Two layers per kind, spent in this order:
//   1. the link (its participant) or the staff session that asks: tight, one person's page;
//   2. the address it comes from: generous, because carrier NAT, a village point's shared
//      laptop or an office watching a webinar together put many people behind one address.
// A refusal of the first layer costs nothing of the second, so a page stuck in a loop on one
// link does not use up its neighbours' budget. An attempt whose link is unknown (forged,
// malformed) spends the address's budget only.
//
// The numbers are configuration (config.ts, README «Configuration»); the loopback benchmarks
// set larger ones. When Redis fails, an in-memory limiter of the same size stands in for this
// instance (rate-limiter-flexible's insurance), so a Redis blip never locks a consultation.
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Redis } from 'ioredis';
import proxyaddr from 'proxy-addr';
import { ProtocolError } from '@dp/protocol';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';

export type BudgetKind = 'connection' | 'join' | 'networkTest' | 'lookup';

export interface BudgetsConfig {
  /** Every budget below is per this many seconds (60 in production). */
  windowSeconds: number;
  /** Per link or staff session (connections have no holder: they come before any link). */
  perHolder: Record<Exclude<BudgetKind, 'connection'>, number>;
  /** Per client address. */
  perAddress: Record<BudgetKind, number>;
  /** Redis key prefix: instances that count together share it (tests give each server its own). */
  keyPrefix: string;
}

/** Who a link or a staff session is, as a budget key: never the token itself. */
export type Holder = { link: string } | { session: string };

export class Budgets {
  private readonly byHolder = new Map<BudgetKind, RateLimiterRedis>();
  private readonly byAddress = new Map<BudgetKind, RateLimiterRedis>();
  readonly config: BudgetsConfig;

  constructor(redis: Redis, config: BudgetsConfig) {
    this.config = config;
    const limiter = (layer: string, kind: BudgetKind, points: number) =>
      new RateLimiterRedis({
        storeClient: redis,
        keyPrefix: `${config.keyPrefix}:${kind}:${layer}`,
        points,
        duration: config.windowSeconds,
        insuranceLimiter: new RateLimiterMemory({ points, duration: config.windowSeconds }),
      });
    for (const [kind, points] of Object.entries(config.perHolder))
      this.byHolder.set(kind as BudgetKind, limiter('holder', kind as BudgetKind, points));
    for (const [kind, points] of Object.entries(config.perAddress))
      this.byAddress.set(kind as BudgetKind, limiter('address', kind as BudgetKind, points));
  }

  /**
   * Spends one attempt of `kind`: first the holder's budget (when the link or session is
   * known), then the address's. Throws ProtocolError `rate_limited` with
   * `details.retryAfterSeconds` when either is used up.
   */
  async spend(kind: BudgetKind, address: string, holder?: Holder | null): Promise<void> {
    if (holder) await consume(this.byHolder.get(kind), holderKey(holder));
    await consume(this.byAddress.get(kind), address);
  }
}

async function consume(limiter: RateLimiterRedis | undefined, key: string): Promise<void> {
  if (!limiter) return;
  try {
    await limiter.consume(key);
  } catch (e) {
    if (!(e instanceof RateLimiterRes)) throw e;
    const retryAfterSeconds = Math.max(1, Math.ceil(e.msBeforeNext / 1000));
    throw new ProtocolError('rate_limited', `too many attempts, try again in ${retryAfterSeconds} s`, { retryAfterSeconds });
  }
}

/** Links by their participant id; sessions by a hash of the cookie's token (Redis keys must not hold a credential). */
function holderKey(holder: Holder): string {
  if ('link' in holder) return `link:${holder.link}`;
  return `session:${createHash('sha256').update(holder.session).digest('base64url').slice(0, 32)}`;
}

/**
 * The client's address of a raw request (socket.io handshakes), decided exactly like
 * express's `req.ip` under the same TRUST_PROXY value: behind nginx every socket comes from
 * 127.0.0.1, and counting that would make the address budget one for the whole country.
 */
export function clientAddressResolver(trustProxy: string): (req: IncomingMessage) => string {
  const trust = compileTrust(trustProxy);
  return (req) => proxyaddr(req, trust);
}

/** TRUST_PROXY as express compiles it: 'true'/'false', a hop count, or addresses and names ('loopback, 10.0.0.0/8'). */
function compileTrust(value: string): (addr: string, i: number) => boolean {
  if (value === 'true') return () => true;
  if (value === 'false') return () => false;
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    return (_addr, i) => i < hops;
  }
  return proxyaddr.compile(value.split(',').map((v) => v.trim()));
}
