// Finding 11 of the security review: safe production defaults.
// - The mode decision (config.ts): production never seeds demo data, whatever DEMO says.
// - The production start path itself: main.ts as a process against a real SFU, PostgreSQL and
//   Redis with DISTPRIEM_MODE=production and DEMO=1 — it says its mode, prints no link and
//   no one-time password link, and leaves the database empty.
// - The private Redis of infra/scripts/local-redis.sh has a generated password: a client
//   without it is refused; the URL the script prints carries it.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pino } from 'pino';
import { Redis } from 'ioredis';
import { createPrisma } from '@dp/db';
import { loadSfuConfig, startSfuNode, type SfuNode } from '@dp/sfu';
import { loadSignallingConfig } from '../src/config.ts';
import { createTestDatabase } from './api/support.ts';
import { LINK_SECRET, SECRET } from './harness.ts';

const repoRoot = resolve(import.meta.dirname, '../../..');
const base = {
  SFU_RPC_SECRET: SECRET,
  LINK_SECRET,
  DATABASE_URL: 'postgresql://x@127.0.0.1/x',
  REDIS_URL: 'redis://127.0.0.1:1',
};

describe('the start-up mode (config.ts)', () => {
  it('production never seeds demo data, even with DEMO=1 (and says it ignored it)', () => {
    expect(loadSignallingConfig({ ...base, DISTPRIEM_MODE: 'production', DEMO: '1' })).toMatchObject({
      mode: 'production',
      demo: false,
      demoIgnored: true,
    });
    expect(loadSignallingConfig({ ...base, DISTPRIEM_MODE: 'production' })).toMatchObject({ mode: 'production', demo: false });
  });

  it('the demo mode (the default) seeds only with DEMO=1', () => {
    expect(loadSignallingConfig({ ...base, DEMO: '1' })).toMatchObject({ mode: 'demo', demo: true, demoIgnored: false });
    expect(loadSignallingConfig({ ...base })).toMatchObject({ mode: 'demo', demo: false });
  });

  it('an unknown mode stops the start with a clear message', () => {
    expect(() => loadSignallingConfig({ ...base, DISTPRIEM_MODE: 'prod' })).toThrow(/DISTPRIEM_MODE/);
  });
});

async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => res(port));
    });
  });
}

describe('a production start (main.ts as a process)', () => {
  let sfu: SfuNode;
  let db: { url: string; drop(): Promise<void> };
  beforeAll(async () => {
    if (!process.env.MEDIASOUP_WORKER_BIN) throw new Error('MEDIASOUP_WORKER_BIN is not set: run the tests through ./pnpm test');
    sfu = await startSfuNode(
      loadSfuConfig({
        SFU_RPC_SECRET: SECRET,
        SFU_RPC_PORT: '0',
        SFU_WORKERS: '1',
        SFU_LISTEN_IP: '127.0.0.1',
        SFU_RTC_PORT: '24750',
        MEDIASOUP_WORKER_BIN: process.env.MEDIASOUP_WORKER_BIN,
      }),
      pino({ level: 'silent' }),
    );
    db = await createTestDatabase();
  }, 60_000);
  afterAll(async () => {
    sfu?.close();
    await db?.drop();
  });

  it('says «production mode», prints no link or password link, and seeds nothing (even with DEMO=1)', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [join(repoRoot, 'apps/signalling/src/main.ts')], {
      env: {
        PATH: process.env.PATH ?? '',
        HOST: '127.0.0.1',
        PORT: String(port),
        SFU_URL: `ws://127.0.0.1:${sfu.rpcPort}`,
        SFU_RPC_SECRET: SECRET,
        LINK_SECRET,
        WEB_DIST: '/nonexistent',
        DATABASE_URL: db.url,
        REDIS_URL: process.env.REDIS_URL ?? '',
        DISTPRIEM_MODE: 'production',
        DEMO: '1',
        LIMIT_KEY_PREFIX: `test:startup:${port}`,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    try {
      // Up and serving: the demo block (if any) runs right after listening, so give it its moment too.
      const end = Date.now() + 30_000;
      while (
        !(await fetch(`http://127.0.0.1:${port}/api/health`).then(
          (r) => r.ok,
          () => false,
        ))
      ) {
        if (Date.now() > end || child.exitCode !== null) throw new Error(`signalling did not start:\n${output}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      await new Promise((r) => setTimeout(r, 1_500));
      expect(output).toMatch(/production mode: no demo data, no links printed/);
      expect(output).toMatch(/DEMO=1 is ignored in production mode/);
      expect(output).not.toMatch(/\/join\/|\/password|set the password|link:/i);
      const prisma = createPrisma(db.url, { poolSize: 1 });
      try {
        expect(await prisma.consultation.count()).toBe(0);
        expect(await prisma.staffUser.count()).toBe(0);
        expect(await prisma.passwordLink.count()).toBe(0);
      } finally {
        await prisma.$disconnect();
      }
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r(undefined) : child.once('exit', r)));
    }
  }, 60_000);
});

describe('the private Redis (local-redis.sh) has a generated password', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'distpriem-redis-test-'));
  const script = join(repoRoot, 'infra/scripts/local-redis.sh');
  const run = (cmd: string, env: Record<string, string> = {}) =>
    execFileSync('bash', [script, cmd], {
      env: { ...process.env, DATA_DIR: dataDir, ...env },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
  afterAll(() => {
    try {
      run('destroy');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses a client without it; the printed URL carries it; the file is private', async () => {
    const port = await freePort();
    run('start', { REDIS_PORT: String(port) });
    const url = run('url').trim();
    expect(url).toMatch(new RegExp(`^redis://default:[0-9a-f]{48}@127\\.0\\.0\\.1:${port}$`));
    expect(statSync(join(dataDir, 'redis/password')).mode & 0o077).toBe(0);
    // The password is not on redis-server's command line (`ps` shows it to every local user).
    const pid = run('status') && execFileSync('cat', [join(dataDir, 'redis/redis.pid')], { encoding: 'utf8' }).trim();
    const cmdline = execFileSync('cat', [`/proc/${pid}/cmdline`], { encoding: 'utf8' });
    expect(cmdline).not.toContain(url.split(':')[2]!.split('@')[0]!);

    // A client without the password, in Redis's own protocol: refused.
    const answer = await new Promise<string>((res, rej) => {
      const c = createConnection({ host: '127.0.0.1', port }, () => c.write('PING\r\n'));
      c.once('data', (d: Buffer) => (res(d.toString()), c.destroy()));
      c.once('error', rej);
    });
    expect(answer).toMatch(/^-NOAUTH/);

    const authorised = new Redis(url, { maxRetriesPerRequest: 0, retryStrategy: () => null });
    expect(await authorised.ping()).toBe('PONG');
    authorised.disconnect();
    // Restarting keeps the same password (the URL in a running installation stays valid).
    run('stop');
    run('start');
    expect(run('url').trim()).toBe(url);
  }, 30_000);
});
