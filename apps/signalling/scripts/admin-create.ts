// pnpm admin:create --email <e-mail> --name "<full name>" [--department "<name>"] [--reset]
//
// Creates a department admin (or finds the existing one) and prints a one-time link to set
// the password, valid 72 hours. Uses DATABASE_URL, or the private PostgreSQL the start
// command runs (.data/). PUBLIC_URL makes the printed link point at the real address.
import { parseArgs } from 'node:util';
import { createPrisma } from '@dp/db';
import { issueFirstAdmin } from '../src/auth/bootstrap-admin.ts';

const { values } = parseArgs({
  options: {
    email: { type: 'string' },
    name: { type: 'string' },
    department: { type: 'string' },
    reset: { type: 'boolean', default: false },
  },
});
if (!values.email || !values.name) {
  process.stderr.write(
    'usage: pnpm admin:create --email admin@example.org --name "Иванова Мария Петровна" [--department "Департамент …"] [--reset]\n',
  );
  process.exit(2);
}
const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  process.stderr.write('DATABASE_URL is not set (the root script sets it for the private database of ./pnpm start)\n');
  process.exit(2);
}
const publicUrl = process.env.PUBLIC_URL ?? `http://localhost:${process.env.PORT ?? '8080'}`;
const prisma = createPrisma(databaseUrl);
try {
  const r = await issueFirstAdmin(
    prisma,
    {
      email: values.email,
      displayName: values.name,
      ...(values.department ? { departmentName: values.department } : {}),
      reset: values.reset,
    },
    publicUrl,
  );
  process.stdout.write(`${r.created ? 'Created' : 'Found'} admin ${values.email} (department ${r.departmentId}).\n`);
  if (r.url) {
    process.stdout.write(
      `\nOne-time link to set the password (valid until ${r.expiresAt!.toISOString()}; shown only now):\n\n  ${r.url}\n\n`,
    );
    process.stdout.write('After the password, the admin sets up an authenticator app (required for admins).\n');
  } else {
    process.stdout.write('The account already has a password; add --reset to issue a reset link.\n');
  }
} catch (e) {
  process.stderr.write(`admin:create failed: ${(e as Error).message}\n`);
  process.exitCode = 1;
} finally {
  await prisma.$disconnect();
}
