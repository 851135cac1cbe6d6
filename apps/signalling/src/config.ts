import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';

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
  /** Bearer token for the staff REST API until the access issue brings sign-in. */
  ADMIN_API_TOKEN: z.string().min(32, 'ADMIN_API_TOKEN must be at least 32 characters'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  /** Mint a demo consultation at start and print its two links. */
  DEMO: z.enum(['0', '1']).default('0'),
});

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
  adminToken: string;
  logLevel: string;
  demo: boolean;
};

export function loadSignallingConfig(env: NodeJS.ProcessEnv = process.env): SignallingConfig {
  const r = Env.safeParse(env);
  if (!r.success) {
    const msg = r.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`).join('\n  ');
    throw new Error(`signalling configuration is invalid:\n  ${msg}`);
  }
  const e = r.data;
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
    adminToken: e.ADMIN_API_TOKEN,
    logLevel: e.LOG_LEVEL,
    demo: e.DEMO === '1',
  };
}
