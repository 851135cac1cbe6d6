// The driver adapter used by the Prisma CLI (prisma.config.ts) and by the client (client.ts).
import { PrismaPg } from '@prisma/adapter-pg';
import type pg from 'pg';
import { charColumns, createPgPool, type PoolOptions } from './pg-pool.ts';

type Connected = Awaited<ReturnType<PrismaPg['connect']>>;
type Queryable = Pick<Connected, 'queryRaw'>;

/** ColumnTypeEnum.Character of @prisma/driver-adapter-utils 6.19 (not a dependency of ours). */
const CHARACTER_COLUMN = 6;

/** Reports the `"char"` columns pg-pool.ts noted as characters (see charColumns there). */
function charactersAsCharacters<T extends Queryable>(queryable: T): T {
  const queryRaw = queryable.queryRaw.bind(queryable);
  queryable.queryRaw = async (query) => {
    const result = await queryRaw(query);
    const chars = charColumns.get(result.rows);
    if (chars) {
      const types = [...result.columnTypes];
      for (const i of chars) types[i] = CHARACTER_COLUMN as (typeof types)[number];
      return { ...result, columnTypes: types };
    }
    return result;
  };
  return queryable;
}

/**
 * adapter-pg 6.19's executeScript splits a migration at every ';' — inside comments, strings
 * and PL/pgSQL bodies too — and runs the pieces one by one, outside any transaction. We send
 * the script whole instead: PostgreSQL runs a multi-statement simple query as one implicit
 * transaction, so a migration applies completely or not at all (as with Prisma's native
 * engine). Consequence, as there: CREATE INDEX CONCURRENTLY cannot be part of a migration.
 */
function fixed(adapter: Connected): Connected {
  const pool = adapter.underlyingDriver() as pg.Pool;
  const onError = (adapter as unknown as { onError(e: unknown): never }).onError.bind(adapter);
  adapter.executeScript = async (script: string) => {
    try {
      await pool.query(script);
    } catch (error) {
      onError(error);
    }
  };
  const startTransaction = adapter.startTransaction.bind(adapter);
  adapter.startTransaction = async (isolationLevel) => charactersAsCharacters(await startTransaction(isolationLevel));
  return charactersAsCharacters(adapter);
}

class WholeScriptPrismaPg extends PrismaPg {
  override async connect(): Promise<Connected> {
    return fixed(await super.connect());
  }
  override async connectToShadowDb(): Promise<Connected> {
    return fixed(await super.connectToShadowDb());
  }
}

/** A Prisma driver adapter factory for `databaseUrl` on our pg pool (see pg-pool.ts). */
export function createAdapter(databaseUrl: string, options: PoolOptions = {}): PrismaPg {
  return new WholeScriptPrismaPg(createPgPool(databaseUrl, options), { disposeExternalPool: true });
}
