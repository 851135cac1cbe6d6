// Applies the checked-in migrations (prisma/migrations) with `prisma migrate deploy`.
import { readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { MIGRATIONS_DIR, runPrismaCli } from './prisma-cli.ts';

export interface MigrateResult {
  /** Migrations applied by this call, oldest first (empty when the database was up to date). */
  applied: string[];
  /** Every migration in prisma/migrations, oldest first. */
  all: string[];
}

/** The migration folders, in the order Prisma applies them. */
export function migrationNames(): string[] {
  return readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(MIGRATIONS_DIR, d.name, 'migration.sql')))
    .map((d) => d.name)
    .sort();
}

/** Names of the migrations recorded as applied in `_prisma_migrations`. */
export async function appliedMigrations(databaseUrl: string): Promise<Set<string>> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const exists = await client.query<{ t: string | null }>(`SELECT to_regclass('_prisma_migrations')::text AS t`);
    if (!exists.rows[0]?.t) return new Set();
    const { rows } = await client.query<{ migration_name: string }>(
      'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
    );
    return new Set(rows.map((r) => r.migration_name));
  } finally {
    await client.end();
  }
}

/**
 * `prisma migrate deploy` against `databaseUrl`: applies pending migrations, each in one
 * transaction, and records them in `_prisma_migrations`. Safe to call at every start (a no-op
 * when up to date; Prisma takes an advisory lock, so concurrent starts wait for each other).
 * Throws with the CLI's output when a migration fails, and when, after the CLI has exited,
 * the database does not record every migration as applied.
 */
export async function migrateDeploy(databaseUrl: string): Promise<MigrateResult> {
  const all = migrationNames();
  const before = await appliedMigrations(databaseUrl);
  const result = await runPrismaCli(['migrate', 'deploy'], { databaseUrl });
  if (result.code !== 0) {
    throw new Error(`prisma migrate deploy failed (exit ${result.code}):\n${result.stderr}\n${result.stdout}`.trim());
  }
  const after = await appliedMigrations(databaseUrl);
  const missing = all.filter((m) => !after.has(m));
  if (missing.length > 0) {
    throw new Error(`prisma migrate deploy exited 0 but these migrations are not recorded as applied: ${missing.join(', ')}`);
  }
  return { applied: all.filter((m) => !before.has(m)), all };
}
