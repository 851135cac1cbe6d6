// What sign-in and the per-request session check cost on this machine:
//   1. argon2id (64 MiB, t=3, p=1): one hash, one verify — the floor of a sign-in's time;
//   2. memory: resident set growth while 8 sign-ins hash at once (each needs 64 MiB);
//   3. a session check (the cookie's SHA-256 → one indexed row + its user), as every staff
//      request pays it, against PostgreSQL.
import { createPrisma, createScratchDatabase } from '@dp/db';
import { hasPercentile, percentile, writeBenchSection, writeReadmeFigure } from '@dp/infra-scripts/bench-report';
import { checkPassword, hashPassword } from '../src/auth/passwords.ts';
import { SessionStore } from '../src/auth/session-store.ts';

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error('DATABASE_URL must be set: run through ./pnpm bench');

const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;
const summary = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  // A percentile only where at least one run lies above it: of 20 runs the "p99" is the maximum.
  const tail = (p: number) => (hasPercentile(s.length, p) ? percentile(s, p) : Number.NaN);
  return { n: s.length, p50: percentile(s, 50), p95: tail(95), p99: tail(99), max: s.at(-1)! };
};

const hashTimes: number[] = [];
const verifyTimes: number[] = [];
let hash = '';
for (let i = 0; i < 20; i++) {
  let t0 = process.hrtime.bigint();
  hash = await hashPassword(`password number ${i}`);
  hashTimes.push(ms(t0));
  t0 = process.hrtime.bigint();
  await checkPassword(hash, `password number ${i}`);
  verifyTimes.push(ms(t0));
}

const rssBefore = process.memoryUsage().rss;
let rssPeak = rssBefore;
const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 5);
const t8 = process.hrtime.bigint();
await Promise.all(Array.from({ length: 8 }, (_, i) => checkPassword(hash, `concurrent ${i}`)));
const concurrent8 = ms(t8);
clearInterval(sampler);

const db = await createScratchDatabase(databaseUrl);
const prisma = createPrisma(db.url);
const department = await prisma.department.create({ data: { name: 'bench' } });
const user = await prisma.staffUser.create({
  data: { email: 'bench@example.org', displayName: 'bench', role: 'admin', departmentId: department.id, passwordHash: hash },
});
const sessions = new SessionStore(prisma, { idleSeconds: 1800, absoluteSeconds: 43200 }, () => new Date());
const { token } = await sessions.create(user, { stage: 'active', ip: '127.0.0.1', userAgent: 'bench' });
for (let i = 0; i < 50; i++) await sessions.resolve(token); // warm the pool and the plan
const resolveTimes: number[] = [];
for (let i = 0; i < 1000; i++) {
  const t0 = process.hrtime.bigint();
  await sessions.resolve(token);
  resolveTimes.push(ms(t0));
}
await prisma.$disconnect();
await db.drop();

const h = summary(hashTimes);
const v = summary(verifyTimes);
const r = summary(resolveTimes);
const f = (x: number) => (Number.isFinite(x) ? `${x.toFixed(1)} ms` : '—');
const row = (what: string, x: ReturnType<typeof summary>) => `| ${what} | ${x.n} | ${f(x.p50)} | ${f(x.p95)} | ${f(x.p99)} | ${f(x.max)} |`;
writeBenchSection(
  'access',
  'Sign-in and the session check',
  `argon2id with the README's parameters (64 MiB, 3 passes, 1 lane) through @node-rs/argon2, and the
session lookup every staff request makes (PostgreSQL on the same machine).

| what | runs | median | p95 | p99 | max |
| --- | ---: | ---: | ---: | ---: | ---: |
${row('hash a password (setting or changing it)', h)}
${row('verify a password (each sign-in)', v)}
${row('session check (cookie → session row + user)', r)}

A percentile is shown only when at least one run lies above it (p99 needs 100 runs; of 20 runs it would be the maximum).
8 sign-ins verifying at once took ${f(concurrent8)} in all, and the process grew by
${Math.round((rssPeak - rssBefore) / 2 ** 20)} MiB at the peak (each argon2id run holds 64 MiB; the binding's thread pool runs
as many at once as it has threads). A sign-in is therefore ~${Math.round(v.p50)} ms of one core: a burst of
staff signing in at 9:00 is fine, while a password-guessing flood is stopped by the lock-out
before it costs CPU (locked attempts are answered without hashing).`,
);
writeReadmeFigure(
  'access',
  `a sign-in's password check (argon2id, 64 MiB) takes ${f(v.p50)} and a staff request's session check ${f(r.p50)} (medians)`,
);
