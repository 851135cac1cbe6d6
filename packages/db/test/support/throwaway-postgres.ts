// A real PostgreSQL for one test file: its own cluster (infra/scripts/local-postgres.sh) in a
// temporary DATA_DIR on a free port, destroyed afterwards. Never the developer's database.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);
const SCRIPT = fileURLToPath(new URL('../../../../infra/scripts/local-postgres.sh', import.meta.url));

export interface ThrowawayPostgres {
  /** URL of the cluster's `distpriem` database. */
  url: string;
  /** Creates an empty database and returns its URL. */
  createDatabase(name: string): Promise<string>;
  /** Stops the cluster and deletes its data. */
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export async function startThrowawayPostgres(): Promise<ThrowawayPostgres> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'dp-db-test-'));
  const env = { ...process.env, DATA_DIR: dataDir, PGPORT: String(await freePort()) };
  const script = (cmd: string) => run('bash', [SCRIPT, cmd], { env, encoding: 'utf8' });
  try {
    await script('start');
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  const url = (await script('url')).stdout.trim();
  return {
    url,
    async createDatabase(name) {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
      } finally {
        await client.end();
      }
      const u = new URL(url);
      u.pathname = `/${name}`;
      return u.toString();
    },
    async stop() {
      try {
        await script('destroy');
      } finally {
        await rm(dataDir, { recursive: true, force: true });
      }
    },
  };
}

/** Rejects when `promise` has not settled within `ms` (so a blocked query fails the test instead of hanging it). */
export function within<T>(ms: number, promise: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: still waiting after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
