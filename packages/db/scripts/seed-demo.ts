// `pnpm --filter @dp/db seed:demo`: migrates, then adds the demo data where missing; prints its ids (JSON).
import { createPrisma } from '../src/client.ts';
import { migrateDeploy } from '../src/migrate.ts';
import { seedDemo } from '../src/seed-demo.ts';
import { databaseUrl } from './database-url.ts';

const url = databaseUrl();
await migrateDeploy(url);
const prisma = createPrisma(url, { poolSize: 2 });
try {
  console.log(JSON.stringify(await seedDemo(prisma), null, 2));
} finally {
  await prisma.$disconnect();
}
