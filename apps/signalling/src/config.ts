import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import type { BudgetsConfig } from './http/budgets.ts';
import type { TurnConfig } from './turn/turn-credentials.ts';

export type { TurnConfig };

const TURN_URL = /^turns?:[^\s?]+(\?transport=(udp|tcp))?$/;
const TURN_URL_MESSAGE = 'each entry must be turn:host:port or turns:host:port, optionally ?transport=udp|tcp';

const Env = z.object({
  HOST: z.string().default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  /** Public origin used in printed links (e.g. https://priem.example.org). */
  PUBLIC_URL: z.string().url().optional(),
  SFU_URL: z.string().default('ws://127.0.0.1:4443'),
  SFU_RPC_SECRET: z.string().min(16, 'SFU_RPC_SECRET must be at least 16 characters'),
  LINK_SECRET: z.string().min(32, 'LINK_SECRET must be at least 32 characters'),
  WEB_DIST: z.string().optional(),
  DATABASE_URL: z.string().startsWith('postgres', 'DATABASE_URL must be a postgresql:// URL'),
  REDIS_URL: z.string().startsWith('redis', 'REDIS_URL must be a redis:// URL'),
  /** A staff session ends after this many minutes without a request … */
  SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(30),
  /** … and this many hours after sign-in, however active. */
  SESSION_MAX_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(12),
  /** Wrong sign-in attempts per e-mail before it is locked for SIGNIN_LOCK_MINUTES. */
  SIGNIN_MAX_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
  SIGNIN_LOCK_MINUTES: z.coerce
    .number()
    .min(0.01)
    .max(24 * 60)
    .default(15),
  /** Express's 'trust proxy': which proxies' X-Forwarded-For/-Proto to believe (addresses in the audit log, Secure cookies). */
  TRUST_PROXY: z.string().default('loopback'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  /** Bearer token for GET /metrics (Prometheus); unset: only this machine may read them. */
  METRICS_TOKEN: z.string().min(16, 'METRICS_TOKEN must be at least 16 characters').optional(),
  /** E-mail to clients, e.g. smtp://user:pass@mail.example.org:587 (smtps:// for implicit TLS); unset: notifications are recorded as skipped. */
  SMTP_URL: z
    .string()
    // The value holds the password: the message never repeats it.
    .refine((v) => v === '' || (URL.canParse(v) && /^smtps?:$/.test(new URL(v).protocol)), 'SMTP_URL must be an smtp:// or smtps:// URL')
    .optional(),
  /** The From of every e-mail. */
  MAIL_FROM: z.string().min(3).default('«Дистанционная приёмная» <no-reply@localhost>'),
  /** Mint a demo consultation at start and print its links (never in production mode). */
  DEMO: z.enum(['0', '1']).default('0'),
  /**
   * `production` (`./pnpm start --production`, the systemd unit): never seeds demo data and
   * never prints a link or a one-time password link, whatever DEMO says. `demo`: a newcomer's
   * machine (DEMO decides about the demo data).
   */
  DISTPRIEM_MODE: z.enum(['demo', 'production']).default('demo'),
  /**
   * `1`: the end-to-end test harness's movable clock (clock/server-clock.ts) and its
   * POST /__test/clock. Refused in production (NODE_ENV=production or DISTPRIEM_MODE=production).
   */
  DP_TEST_CLOCK: z.enum(['0', '1']).default('0'),
  NODE_ENV: z.string().optional(),
  // Budgets per LIMIT_WINDOW_SECONDS (http/budgets.ts): per link or staff session first, then
  // per client address (generous: carrier NAT, a shared laptop, an office at a webinar).
  LIMIT_WINDOW_SECONDS: limit(60),
  LIMIT_JOINS_PER_LINK: limit(10),
  LIMIT_NETWORK_TESTS_PER_LINK: limit(5),
  LIMIT_LINK_LOOKUPS_PER_LINK: limit(60),
  LIMIT_CONNECTIONS_PER_ADDRESS: limit(300),
  LIMIT_JOINS_PER_ADDRESS: limit(120),
  LIMIT_NETWORK_TESTS_PER_ADDRESS: limit(60),
  LIMIT_LINK_LOOKUPS_PER_ADDRESS: limit(300),
  /** Redis key prefix of those counters: instances that count together share it. */
  LIMIT_KEY_PREFIX: z.string().min(1).max(100).default('dp:limit'),
  /** `1`: hand out TURN servers (coturn, `use-auth-secret`) with every join; needs TURN_SECRET and TURN_URLS. */
  TURN_ENABLED: z.enum(['0', '1']).default('0'),
  /** coturn's `static-auth-secret`. */
  TURN_SECRET: z.string().min(32, 'TURN_SECRET must be at least 32 characters').optional(),
  /** Comma-separated, e.g. turn:host:3478?transport=udp,turn:host:3478?transport=tcp,turns:turn.example.org:443?transport=tcp */
  TURN_URLS: z
    .string()
    .transform(turnUrls)
    .pipe(z.array(z.string().regex(TURN_URL, TURN_URL_MESSAGE)).max(8))
    .optional(),
  /**
   * Lifetime of a TURN credential from the join that handed it out. coturn checks the expiry
   * again on every Refresh of the allocation, so it must outlast the whole call: a consultation
   * is at most 60 min plus up to 30 min of pre-check in the waiting room; 2 h leaves margin.
   */
  TURN_CREDENTIAL_TTL_S: z.coerce.number().int().min(60).max(604_800).default(7200),
});

function turnUrls(v: string): string[] {
  return v
    .split(',')
    .map((u) => u.trim())
    .filter((u) => u !== '');
}

function limit(fallback: number) {
  return z.coerce.number().int().min(1).max(1_000_000).default(fallback);
}

export type SignallingConfig = {
  host: string;
  port: number;
  publicUrl: string | undefined;
  sfuUrl: string;
  sfuSecret: string;
  linkSecret: string;
  webDist: string | undefined;
  databaseUrl: string;
  redisUrl: string;
  session: { idleSeconds: number; absoluteSeconds: number };
  signIn: { maxFailures: number; lockSeconds: number };
  trustProxy: string;
  logLevel: string;
  /** production: no demo data, no link printed (config.demo is then always false). */
  mode: 'demo' | 'production';
  demo: boolean;
  /** DEMO=1 was set but ignored (production mode): start-up says so. */
  demoIgnored: boolean;
  /** Limits on connections, joins, network tests and link look-ups (http/budgets.ts). */
  budgets: BudgetsConfig;
  metricsToken: string | undefined;
  /** SMTP for notifications; url undefined = not configured (the url holds the password: never log it). */
  mail: { smtpUrl: string | undefined; from: string };
  /** DP_TEST_CLOCK=1: business time the test harness may move (never in production). */
  testClock: boolean;
  /** TURN for joins (turn/turn-credentials.ts turnIceServers); null = off. The secret: never log it. */
  turn: TurnConfig | null;
};

/** What start-up says when the harness clock is asked for in production. */
export const TEST_CLOCK_REFUSED =
  'DP_TEST_CLOCK=1 (the test harness clock that moves business time) is refused in production: unset DP_TEST_CLOCK';

export function loadSignallingConfig(env: NodeJS.ProcessEnv = process.env): SignallingConfig {
  const r = Env.safeParse(env);
  if (!r.success) {
    const msg = r.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`).join('\n  ');
    throw new Error(`signalling configuration is invalid:\n  ${msg}`);
  }
  const e = r.data;
  if (e.DP_TEST_CLOCK === '1' && (e.NODE_ENV === 'production' || e.DISTPRIEM_MODE === 'production')) {
    throw new Error(TEST_CLOCK_REFUSED);
  }
  if (e.TURN_ENABLED === '1' && (!e.TURN_SECRET || !e.TURN_URLS?.length)) {
    throw new Error('signalling configuration is invalid:\n  TURN_ENABLED=1 needs TURN_SECRET and TURN_URLS');
  }
  const defaultDist = resolve(import.meta.dirname, '../../web/dist');
  return {
    host: e.HOST,
    port: e.PORT,
    publicUrl: e.PUBLIC_URL,
    sfuUrl: e.SFU_URL,
    sfuSecret: e.SFU_RPC_SECRET,
    linkSecret: e.LINK_SECRET,
    webDist: e.WEB_DIST ?? (existsSync(defaultDist) ? defaultDist : undefined),
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    session: { idleSeconds: e.SESSION_IDLE_MINUTES * 60, absoluteSeconds: e.SESSION_MAX_HOURS * 3600 },
    signIn: { maxFailures: e.SIGNIN_MAX_FAILURES, lockSeconds: Math.max(1, Math.round(e.SIGNIN_LOCK_MINUTES * 60)) },
    trustProxy: e.TRUST_PROXY,
    logLevel: e.LOG_LEVEL,
    mode: e.DISTPRIEM_MODE,
    demo: e.DEMO === '1' && e.DISTPRIEM_MODE !== 'production',
    demoIgnored: e.DEMO === '1' && e.DISTPRIEM_MODE === 'production',
    budgets: {
      windowSeconds: e.LIMIT_WINDOW_SECONDS,
      perHolder: { join: e.LIMIT_JOINS_PER_LINK, networkTest: e.LIMIT_NETWORK_TESTS_PER_LINK, lookup: e.LIMIT_LINK_LOOKUPS_PER_LINK },
      perAddress: {
        connection: e.LIMIT_CONNECTIONS_PER_ADDRESS,
        join: e.LIMIT_JOINS_PER_ADDRESS,
        networkTest: e.LIMIT_NETWORK_TESTS_PER_ADDRESS,
        lookup: e.LIMIT_LINK_LOOKUPS_PER_ADDRESS,
      },
      keyPrefix: e.LIMIT_KEY_PREFIX,
    },
    metricsToken: e.METRICS_TOKEN,
    mail: { smtpUrl: e.SMTP_URL || undefined, from: e.MAIL_FROM },
    testClock: e.DP_TEST_CLOCK === '1',
    turn:
      e.TURN_ENABLED === '1' && e.TURN_SECRET && e.TURN_URLS
        ? { secret: e.TURN_SECRET, urls: e.TURN_URLS, ttlSeconds: e.TURN_CREDENTIAL_TTL_S }
        : null,
  };
}
