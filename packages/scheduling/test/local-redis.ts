import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const script = resolve(import.meta.dirname, '../../../infra/scripts/local-redis.sh');

async function freePort(): Promise<number> {
  return new Promise((res) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => res(port));
    });
  });
}

/** A throw-away redis-server (Debian's) with persistence on, which a test can restart. */
export async function startThrowawayRedis(): Promise<{ url: string; restart(): void; stop(): void }> {
  const dir = mkdtempSync(join(tmpdir(), 'dp-redis-'));
  const env = { ...process.env, DATA_DIR: dir, REDIS_PORT: String(await freePort()) };
  const run = (cmd: string) => execFileSync('bash', [script, cmd], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
  run('start');
  const url = run('url');
  return {
    url,
    restart() {
      run('stop');
      run('start');
    },
    stop() {
      run('stop');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
