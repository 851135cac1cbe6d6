import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { migrateDeploy } from './migrate.ts';

/**
 * A fresh database on an existing PostgreSQL server, with every migration applied,
 * dropped again by `drop()`. Test suites use one each on the test run's throw-away
 * server, so that they never see each other's rows.
 */
export async function createScratchDatabase(serverUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = async (sql: string) => {
    const c = new pg.Client({ connectionString: serverUrl });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  await migrateDeploy(url.toString());
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}
