// @dp/db: the Prisma schema's client, migrations, demo seed and row ⇄ plain-type mappers.
export { createPrisma, type CreatePrismaOptions, type TransactionClient } from './client.ts';
export { createAdapter } from './adapter.ts';
export { createPgPool, type PoolOptions } from './pg-pool.ts';
export { migrateDeploy, migrationNames, appliedMigrations, type MigrateResult } from './migrate.ts';
export { runPrismaCli, type CliResult } from './prisma-cli.ts';
export { seedDemo, demoId, type DemoIds, type SeedDemoOptions } from './seed-demo.ts';
export { allocateRequestNumber, yearIn } from './request-number.ts';
export {
  institutionCalendar,
  institutionCalendarColumns,
  monthSchedule,
  type InstitutionCalendarData,
  type MonthScheduleData,
  type HoursRangeData,
  type WeekdayNumber,
} from './calendar.ts';
// The generated client: PrismaClient, the Prisma namespace, model types and enums.
export * from '../dist/prisma/client.ts';
export { createScratchDatabase } from './scratch-database.ts';
