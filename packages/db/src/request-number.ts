// Request journal numbers: 1, 2, 3 … per institution per calendar year, without gaps from
// concurrency (the counter row is locked until the transaction that takes a number ends).
import type { PrismaClient, TransactionClient } from './client.ts';

/**
 * Takes the next number of `institutionId`'s journal for `year`. Call it inside the
 * transaction that creates the request: if that transaction rolls back, the number is
 * given back too.
 */
export async function allocateRequestNumber(db: TransactionClient | PrismaClient, institutionId: string, year: number): Promise<number> {
  const rows = await db.$queryRaw<{ last_number: number }[]>`
    INSERT INTO request_counters (institution_id, year, last_number)
    VALUES (${institutionId}::uuid, ${year}, 1)
    ON CONFLICT (institution_id, year) DO UPDATE SET last_number = request_counters.last_number + 1
    RETURNING last_number`;
  const n = rows[0]?.last_number;
  if (typeof n !== 'number') throw new Error('request_counters returned no number');
  return n;
}

/** The calendar year of an instant in a time zone (a request received on 31 Dec 23:30 in Omsk is that year's). */
export function yearIn(instant: Date, timeZone: string): number {
  return Number(new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric' }).format(instant));
}
