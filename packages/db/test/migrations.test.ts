import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import pg from 'pg';
import { appliedMigrations, migrateDeploy, migrationNames } from '../src/migrate.ts';
import { runPrismaCli } from '../src/prisma-cli.ts';
import { startThrowawayPostgres, type ThrowawayPostgres } from './support/throwaway-postgres.ts';

let server: ThrowawayPostgres;
let url: string;

beforeAll(async () => {
  server = await startThrowawayPostgres();
  url = await server.createDatabase('migrations_test');
}, 120_000);

afterAll(async () => {
  await server?.stop();
}, 60_000);

async function migrationRows(databaseUrl: string) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{
      migration_name: string;
      finished_at: Date | null;
      rolled_back_at: Date | null;
      applied_steps_count: number;
    }>('SELECT migration_name, finished_at, rolled_back_at, applied_steps_count FROM _prisma_migrations ORDER BY migration_name');
    return rows;
  } finally {
    await client.end();
  }
}

describe('migrate deploy', () => {
  test('applies every migration to an empty database and records each in _prisma_migrations', async () => {
    expect(await appliedMigrations(url)).toEqual(new Set());
    const result = await migrateDeploy(url);
    const names = migrationNames();
    expect(names.length).toBeGreaterThanOrEqual(2);
    expect(names[0]).toMatch(/^\d{14}_init$/);
    expect(result.applied).toEqual(names);
    const rows = await migrationRows(url);
    expect(rows.map((r) => r.migration_name)).toEqual(names);
    for (const r of rows) {
      expect(r.finished_at).toBeInstanceOf(Date);
      expect(r.rolled_back_at).toBeNull();
      expect(r.applied_steps_count).toBe(1);
    }
  }, 60_000);

  test('running it again is a no-op, and the CLI does not idle on the WASM engine timer', async () => {
    const before = await migrationRows(url);
    const started = Date.now();
    const result = await migrateDeploy(url);
    const elapsed = Date.now() - started;
    expect(result.applied).toEqual([]);
    expect(await migrationRows(url)).toEqual(before);
    expect(elapsed).toBeLessThan(8_000); // ~1 s; 10 s+ would mean the engine's timer kept the CLI alive
  }, 60_000);

  test('schema.prisma and the migrations agree (no change is missing a migration)', async () => {
    // `migrate diff --from-migrations` replays the migrations into the adapter's database:
    // a database of its own, never one in use.
    const scratch = await server.createDatabase('drift_check');
    const diff = await runPrismaCli(
      [
        'migrate',
        'diff',
        '--from-migrations',
        'prisma/migrations',
        '--to-schema-datamodel',
        'prisma/schema.prisma',
        '--script',
        '--exit-code',
      ],
      { databaseUrl: scratch },
    );
    expect({ code: diff.code, sql: diff.stdout.trim() }).toEqual({ code: 0, sql: '-- This is an empty migration.' });
  }, 60_000);
});
