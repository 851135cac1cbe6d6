// `pnpm --filter @dp/db migrate`: applies pending migrations to DATABASE_URL (or the local cluster).
import { migrateDeploy } from '../src/migrate.ts';
import { databaseUrl } from './database-url.ts';

const started = Date.now();
const { applied, all } = await migrateDeploy(databaseUrl());
console.error(
  applied.length > 0
    ? `==> Applied ${applied.length} migration(s): ${applied.join(', ')} (${Date.now() - started} ms)`
    : `==> Database up to date (${all.length} migrations, ${Date.now() - started} ms)`,
);
