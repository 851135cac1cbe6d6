// A test file's database, cloned from a template that has every migration applied. Applying
// the migrations (`prisma migrate deploy`, a CLI process of its own) took ~2.4 s per file; a
// clone of the migrated template takes a fraction of that and holds exactly the same schema,
// data and _prisma_migrations rows. The template is named for the contents of every migration,
// so a new or changed migration makes a new one (older ones are dropped then). Jest's workers,
// and other runs on the same server, build and clone it under one advisory lock: a template
// being built or cloned is never seen half made, and nobody is connected to it while cloned.
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { createScratchDatabase, migrationNames } from '@dp/db';

const MIGRATIONS = new URL('../../../packages/db/prisma/migrations/', import.meta.url);
const PREFIX = 'dp_test_tpl_';
/** pg_advisory_lock's two keys: this module's, and the template's. */
const LOCK = [20261206, 18];

function templateName(): string {
  const hash = createHash('sha256');
  for (const name of migrationNames()) hash.update(name).update(readFileSync(new URL(`${name}/migration.sql`, MIGRATIONS)));
  return PREFIX + hash.digest('hex').slice(0, 16);
}

/** PostgreSQL's 55006: a database is still in use (a backend that has not quite gone yet). */
async function whileInUse<T>(f: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await f();
    } catch (e) {
      if ((e as { code?: string }).code !== '55006' || attempt >= 50) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** A database of its own on `serverUrl`, every migration applied; `drop()` removes it. */
export async function cloneTestDatabase(serverUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const template = templateName();
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query('SELECT pg_advisory_lock($1, $2)', LOCK);
    const { rows } = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE starts_with(datname, $1)`, [PREFIX]);
    if (!rows.some((r) => r.datname === template)) {
      for (const stale of rows) await admin.query(`DROP DATABASE IF EXISTS "${stale.datname}" WITH (FORCE)`);
      const built = await createScratchDatabase(serverUrl);
      const builtName = new URL(built.url).pathname.slice(1);
      await whileInUse(() => admin.query(`ALTER DATABASE "${builtName}" RENAME TO "${template}"`));
    }
    await whileInUse(() => admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
  } finally {
    await admin.query('SELECT pg_advisory_unlock($1, $2)', LOCK).catch(() => undefined);
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
