// The Prisma client factory: the WASM query compiler over @prisma/adapter-pg (no native engine).
import { createAdapter } from './adapter.ts';
import { PrismaClient, type Prisma } from '../dist/prisma/client.ts';

export interface CreatePrismaOptions {
  /**
   * Connections in this process's pool (default 10). PostgreSQL's local cluster allows 200
   * (infra/scripts/local-postgres.sh); leave room for the CLI, psql and other processes.
   */
  poolSize?: number;
  /** Shown in pg_stat_activity (default 'distpriem'). */
  applicationName?: string;
}

/** A PrismaClient for `databaseUrl`. Call `$disconnect()` when done: it closes the pool. */
export function createPrisma(databaseUrl: string, options: CreatePrismaOptions = {}): PrismaClient {
  const adapter = createAdapter(databaseUrl, { max: options.poolSize ?? 10, applicationName: options.applicationName ?? 'distpriem' });
  return new PrismaClient({ adapter });
}

export type { PrismaClient };
/** The client inside `prisma.$transaction(async (tx) => …)`. */
export type TransactionClient = Prisma.TransactionClient;
