import { createScratchDatabase } from '@dp/db';

/** A database of its own for one test file, on the test run's throw-away server (DATABASE_URL). */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const server = process.env.DATABASE_URL;
  if (!server) throw new Error('DATABASE_URL is not set: run the tests through ./pnpm test');
  return createScratchDatabase(server);
}
