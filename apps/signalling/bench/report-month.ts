// The consolidated monthly report over 100 000 consultations in 20 institutions: how long the
// department's month takes through the report's own code (`departmentMonthFigures`, one SQL
// statement for every institution, src/reports/figures.ts), how much memory the process needs,
// and how long its XLSX export (the one export module, src/export/table-export.ts) takes.
// Seeds a scratch database with generate_series: a year of consultations with requests,
// history, visits, feedback, protocols and e-mail answers in proportion; prints the query plan.
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { createPrisma, createScratchDatabase } from '@dp/db';
import { hasPercentile, percentile, writeBenchSection, writeReadmeFigure } from '@dp/infra-scripts/bench-report';
import { reportFormV1, type ReportFigures } from '@dp/protocol';
import { addSheet, toXlsxBook, type ExportTable } from '../src/export/table-export.ts';
import { departmentMonthFigures, figuresOfPeriods, periodOf } from '../src/reports/figures.ts';
import { FIGURES_SQL } from '../src/reports/figures-sql.ts';

const CONSULTATIONS = Number(process.env.BENCH_REPORT_CONSULTATIONS ?? 100_000);
const RUNS = Number(process.env.BENCH_REPORT_RUNS ?? 20);
const INSTITUTIONS = 20;
const MONTH = '2026-06';
const WEEK = { 1: null, 2: null, 3: null, 4: null, 5: null, 6: null, 7: null };
const ZONES = ['Asia/Omsk', 'Asia/Kamchatka', 'Europe/Kaliningrad', 'Europe/Moscow', 'Asia/Novosibirsk'];
const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error('DATABASE_URL must be set: run through ./pnpm bench');

const cpus = availableParallelism();
const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

/**
 * CPU time (ms) a PostgreSQL backend has used so far (/proc, Linux, the server on this machine),
 * or null when it cannot be read: the query's own cost, whatever else the machine is doing.
 */
function backendCpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime (fields 14 and 15 of proc(5)), in clock ticks of 10 ms.
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

const db = await createScratchDatabase(databaseUrl);
// One connection: every statement runs in the same backend, whose CPU time is read from /proc.
const prisma = createPrisma(db.url, { poolSize: 1 });
try {
  const department = await prisma.department.create({ data: { name: 'bench' } });
  const institutions: string[] = [];
  const authors: string[] = [];
  for (let i = 0; i < INSTITUTIONS; i++) {
    const inst = await prisma.institution.create({
      data: {
        departmentId: department.id,
        name: `Учреждение ${String(i + 1).padStart(2, '0')}`,
        timeZone: ZONES[i % ZONES.length]!,
        week: WEEK,
      },
    });
    institutions.push(inst.id);
    const s = await prisma.staffUser.create({
      data: {
        email: `s${i}@bench.example.org`,
        displayName: `Специалист ${i}`,
        role: 'specialist',
        departmentId: department.id,
        institutionId: inst.id,
      },
    });
    authors.push(s.id);
  }

  const seedStart = process.hrtime.bigint();
  const run = (sql: string, ...params: unknown[]) => prisma.$executeRawUnsafe(sql, ...params);
  // Consultations over 2026, evenly; 60 % come from a request (request i ↔ consultation i, the
  // same institution). A temporary numbering maps i to ids.
  await run(
    `CREATE TABLE bench_ids AS SELECT i, gen_random_uuid() AS cid, gen_random_uuid() AS rid,
      timestamptz '2026-01-01 00:00Z' + make_interval(secs => 365 * 86400 * (i::float8 / $1)) AS start
    FROM generate_series(0, $1 - 1) AS i`,
    CONSULTATIONS,
  );
  await run(
    `INSERT INTO requests (id, institution_id, year, number, received_at, channel, recurrence, from_whom, reason, status,
       refusal_ground, answer_due_at, updated_at, decided_at)
     SELECT b.rid, ($1::uuid[])[1 + i % ${INSTITUTIONS}], 2026, i + 1, b.start - interval '3 days',
       (ARRAY['phone','email','messenger','visit','video_link','sms'])[1 + i % 6]::request_channel,
       (CASE WHEN i % 4 = 0 THEN 'repeat' ELSE 'first' END)::request_recurrence, 'Мать ' || i, 'Трудности ' || i,
       (CASE WHEN i % 50 = 0 THEN 'refused' WHEN i % 3 = 0 THEN 'completed' ELSE 'scheduled' END)::request_status,
       CASE WHEN i % 50 = 0 THEN (ARRAY['outside_competence','unethical_or_aggressive_behaviour'])[1 + i % 2]::refusal_ground END,
       b.start - interval '1 day', b.start - interval '2 days',
       CASE WHEN i % 50 = 0 OR i % 3 = 0 THEN b.start - interval '2 days' END
     FROM bench_ids b WHERE i % 5 < 3`,
    institutions,
  );
  // 75 % held, 8 % no-show, 7 % cancelled, the rest still planned; 80 % online, 12 % phone, 8 % e-mail.
  await run(
    `INSERT INTO consultations (id, institution_id, kind, direction, mode, request_id, start, duration_minutes, state, topic, form,
       started_at, ended_at, quality_summary, updated_at)
     SELECT b.cid, ($1::uuid[])[1 + i % ${INSTITUTIONS}],
       k.kind::consultation_kind, k.direction::consultation_direction,
       (CASE WHEN i % 5 < 3 THEN 'on_request' ELSE 'planned' END)::consultation_mode,
       CASE WHEN i % 5 < 3 THEN b.rid END, b.start, 45, s.state::consultation_state,
       CASE WHEN i % 5 <> 4 THEN (ARRAY['family','personal','social_maladjustment','interpersonal','learning','crisis','legal_aid'])[1 + i % 7]::consultation_topic END,
       f.form::consultation_form,
       CASE WHEN s.state = 'ended' AND f.form <> 'email' THEN b.start + interval '2 minutes' END,
       CASE WHEN s.state = 'ended' THEN b.start + make_interval(mins => 20 + i % 40) END,
       CASE WHEN s.state = 'ended' AND f.form = 'online' THEN jsonb_build_object('samples', 60, 'scoreAvg', 1.5 + (i % 35) / 10.0, 'scoreMin', 1,
         'lossPercentAvg', 1, 'lossPercentMax', 4, 'rttMsAvg', 90, 'rttMsMax', 300, 'bitrateAvg', 600000, 'alerts', '{}'::jsonb) END,
       now()
     FROM bench_ids b,
       LATERAL (SELECT CASE WHEN i % 100 < 75 THEN 'ended' WHEN i % 100 < 83 THEN 'no_show' WHEN i % 100 < 90 THEN 'cancelled' ELSE 'planned' END AS state) s,
       LATERAL (SELECT CASE WHEN i % 25 < 20 THEN 'online' WHEN i % 25 < 23 THEN 'phone' ELSE 'email' END AS form) f,
       LATERAL (SELECT CASE WHEN i % 20 = 7 THEN 'webinar' WHEN i % 20 = 13 THEN 'dyad' ELSE 'one_to_one' END AS kind,
                       CASE WHEN i % 20 = 7 THEN 'specialist_specialist' WHEN i % 20 = 13 THEN 'client_client' ELSE 'specialist_client' END AS direction) k`,
    institutions,
  );
  await run(
    `INSERT INTO consultation_specialists (consultation_id, specialist_id)
    SELECT b.cid, ($1::uuid[])[1 + i % ${INSTITUTIONS}] FROM bench_ids b`,
    authors,
  );
  // History: booked; 5 % moved once; 2 % a technical failure first.
  await run(`INSERT INTO consultation_transitions (id, consultation_id, event, from_state, to_state, at)
    SELECT gen_random_uuid(), b.cid, 'book', NULL, 'planned', b.start - interval '7 days' FROM bench_ids b`);
  // A held online consultation's way through the room: five more steps each.
  await run(`INSERT INTO consultation_transitions (id, consultation_id, event, from_state, to_state, at)
    SELECT gen_random_uuid(), c.id, s.event, s.from_state::consultation_state, s.to_state::consultation_state, c.start + s.offs
    FROM consultations c, (VALUES ('precheck_opened', 'planned', 'precheck', interval '-30 minutes'),
        ('precheck_passed', 'precheck', 'precheck', interval '-25 minutes'), ('room_opened', 'precheck', 'open', interval '0 minutes'),
        ('client_joined', 'open', 'live', interval '2 minutes'), ('ended_by_staff', 'live', 'ended', interval '40 minutes')) AS s(event, from_state, to_state, offs)
    WHERE c.state = 'ended' AND c.form = 'online'`);
  await run(`INSERT INTO consultation_transitions (id, consultation_id, event, from_state, to_state, at, previous_start)
    SELECT gen_random_uuid(), b.cid, 'reschedule', 'planned', 'planned', b.start - interval '5 days', b.start - interval '2 days'
    FROM bench_ids b WHERE i % 20 = 3`);
  await run(`INSERT INTO consultation_transitions (id, consultation_id, event, from_state, to_state, at)
    SELECT gen_random_uuid(), b.cid, 'technical_failure', 'planned', 'failed', b.start - interval '6 days' FROM bench_ids b WHERE i % 50 = 9`);
  // A client each; a dyad's second family; a room visit for every held online one (a quarter
  // of them mostly in audio only); feedback from 30 % of the held; protocols for 70 %.
  await run(`INSERT INTO participants (id, consultation_id, role, display_name)
    SELECT gen_random_uuid(), b.cid, 'client'::participant_role, 'Клиент ' || i FROM bench_ids b
    UNION ALL SELECT gen_random_uuid(), b.cid, 'client'::participant_role, 'Клиент ' || i || 'б' FROM bench_ids b WHERE i % 20 = 13`);
  await run(`INSERT INTO room_visits (id, consultation_id, participant_id, joined_at, left_at, audio_only_ms)
    SELECT gen_random_uuid(), c.id, p.id, c.started_at, c.ended_at,
      CASE WHEN hashtext(p.id::text) % 4 = 0 THEN (EXTRACT(EPOCH FROM c.ended_at - c.started_at) * 800)::int ELSE 0 END
    FROM consultations c JOIN participants p ON p.consultation_id = c.id
    WHERE c.state = 'ended' AND c.form = 'online'`);
  await run(`INSERT INTO feedback_answers (id, consultation_id, participant_id, quality, topic_match, comfort, clarity, usefulness,
      state_improved, specialist_work, updated_at)
    SELECT gen_random_uuid(), c.id, p.id, 3 + h % 3, 2 + h % 4, 4 + h % 2, 3 + h % 3, 4, 3 + h % 2, 5, now()
    FROM consultations c JOIN participants p ON p.consultation_id = c.id,
      LATERAL (SELECT abs(hashtext(p.id::text)) AS h) x
    WHERE c.state = 'ended' AND x.h % 10 < 3`);
  await run(`INSERT INTO protocol_versions (id, consultation_id, version, final, topic, reason, solution, author_id, updated_at)
    SELECT gen_random_uuid(), c.id, 1, true, c.topic, 'Повод', 'Рекомендации', cs.specialist_id, now()
    FROM consultations c JOIN consultation_specialists cs ON cs.consultation_id = c.id
    WHERE c.state = 'ended' AND abs(hashtext(c.id::text)) % 10 < 7`);
  await run(`INSERT INTO email_answers (id, consultation_id, request_id, to_address, body, status, sent_at, author_id)
    SELECT gen_random_uuid(), c.id, c.request_id, 'f@example.org', 'Ответ', 'sent', c.ended_at, cs.specialist_id
    FROM consultations c JOIN consultation_specialists cs ON cs.consultation_id = c.id
    WHERE c.state = 'ended' AND c.form = 'email'`);
  await run('DROP TABLE bench_ids');
  await run('ANALYZE');
  const seedMs = ms(seedStart);
  const counts = await prisma.$queryRawUnsafe<Record<string, number>[]>(
    `SELECT (SELECT count(*) FROM consultations)::int AS consultations, (SELECT count(*) FROM requests)::int AS requests,
       (SELECT count(*) FROM feedback_answers)::int AS feedback, (SELECT count(*) FROM protocol_versions)::int AS protocols,
       (SELECT count(*) FROM room_visits)::int AS visits, (SELECT count(*) FROM consultation_transitions)::int AS transitions`,
  );
  const c = counts[0]!;

  const now = new Date('2027-01-10T00:00:00Z');
  // The machine's load while measuring (the figures are wall times: other work on it slows them).
  const loadBefore = loadavg()[0]!;
  // The consolidated month, as the report screen and the export ask for it.
  const monthTimes: number[] = [];
  let figures = new Map<string, ReportFigures>();
  const pid = (await prisma.$queryRawUnsafe<{ pid: number }[]>('SELECT pg_backend_pid() AS pid'))[0]!.pid;
  let cpuStart: number | null = null;
  const nodeCpuStart = { user: 0, system: 0 };
  for (let i = 0; i < 3 + RUNS; i++) {
    if (i === 3) {
      cpuStart = backendCpuMs(pid);
      Object.assign(nodeCpuStart, process.cpuUsage());
    }
    const t0 = process.hrtime.bigint();
    figures = await departmentMonthFigures(prisma, department.id, MONTH, { now });
    if (i >= 3) monthTimes.push(ms(t0));
  }
  const cpuEnd = backendCpuMs(pid);
  const nodeCpu = process.cpuUsage(nodeCpuStart);
  const dbCpuPerRun = cpuStart !== null && cpuEnd !== null ? (cpuEnd - cpuStart) / RUNS : null;
  const nodeCpuPerRun = (nodeCpu.user + nodeCpu.system) / 1000 / RUNS;
  // The worst case: a period holding every consultation of the year.
  const yearPeriods = institutions.map((institutionId) => ({
    institutionId,
    from: new Date('2025-12-01T00:00:00Z'),
    to: new Date('2027-01-01T00:00:00Z'),
  }));
  const yearTimes: number[] = [];
  for (let i = 0; i < 1 + Math.ceil(RUNS / 4); i++) {
    const t0 = process.hrtime.bigint();
    await figuresOfPeriods(prisma, yearPeriods, { now });
    if (i >= 1) yearTimes.push(ms(t0));
  }
  // The XLSX export of the consolidated month: institutions × the form's rows, with totals.
  const names = new Map(
    (await prisma.institution.findMany({ where: { departmentId: department.id }, select: { id: true, name: true } })).map((i) => [
      i.id,
      i.name,
    ]),
  );
  type Row = { name: string; figures: ReportFigures };
  const table: ExportTable<Row> = {
    sheet: `Сводный ${MONTH}`,
    columns: [
      { header: 'Учреждение', type: 'text', width: 30, value: (r) => r.name },
      ...reportFormV1.map((f) => ({
        header: f.label,
        type: f.kind === 'count' ? ('integer' as const) : ('decimal' as const),
        width: 14,
        value: (r: Row) => r.figures[f.key],
        total: f.kind === 'count',
      })),
    ],
    rows: [...figures].map(([id, f]) => ({ name: names.get(id)!, figures: f })),
  };
  const exportTimes: number[] = [];
  let bytes = 0;
  for (let i = 0; i < 2 + RUNS; i++) {
    const t0 = process.hrtime.bigint();
    const buf = await toXlsxBook((book) => addSheet(book, table));
    if (i >= 2) exportTimes.push(ms(t0));
    bytes = buf.length;
  }
  const maxRssMb = process.resourceUsage().maxRSS / 1024;
  const loadAfter = loadavg()[0]!;

  // The query plan of the consolidated month.
  const periods = institutions.map((id, i) => ({ institutionId: id, ...periodOf(MONTH, 25, ZONES[i % ZONES.length]!) }));
  const plan = await prisma.$queryRawUnsafe<{ 'QUERY PLAN': string }[]>(
    `EXPLAIN (ANALYZE, COSTS OFF, SUMMARY ON) ${FIGURES_SQL}`,
    periods.map((p) => p.institutionId),
    periods.map((p) => p.from.toISOString()),
    periods.map((p) => p.to.toISOString()),
    now.toISOString(),
  );
  const held = [...figures.values()].reduce((s, f) => s + (f['consultations.held'] ?? 0), 0);
  const inMonth = await prisma.$queryRawUnsafe<{ n: number }[]>(
    `SELECT count(*)::int AS n FROM unnest($1::uuid[], $2::timestamptz[], $3::timestamptz[]) AS p(i, f, t)
     JOIN consultations c ON c.institution_id = p.i AND c.start >= p.f AND c.start < p.t`,
    periods.map((p) => p.institutionId),
    periods.map((p) => p.from.toISOString()),
    periods.map((p) => p.to.toISOString()),
  );

  const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
  const m = sorted(monthTimes);
  const y = sorted(yearTimes);
  const e = sorted(exportTimes);
  const p95 = (s: number[]) => (hasPercentile(s.length, 95) ? percentile(s, 95) : s.at(-1)!);
  const f = (x: number) => `${x.toFixed(1)} ms`;
  const monthOk = p95(m) < 1000;
  const memOk = maxRssMb < 512;
  const exportOk = p95(e) < 5000;
  const p95Label = (s: number[]) => (hasPercentile(s.length, 95) ? 'p95' : 'max');
  console.table({
    month: { median: f(percentile(m, 50)), p95: f(p95(m)), runs: m.length },
    year: { median: f(percentile(y, 50)), p95: f(p95(y)), runs: y.length },
    xlsx: { median: f(percentile(e, 50)), p95: f(p95(e)), runs: e.length },
  });
  console.log(`max RSS ${maxRssMb.toFixed(0)} MB`);
  writeBenchSection(
    'report-month',
    'Consolidated monthly report: 100 000 consultations in 20 institutions',
    `${c.consultations!.toLocaleString('en')} consultations over 2026 in ${INSTITUTIONS} institutions of one department (five time zones), with
${c.requests!.toLocaleString('en')} requests, ${c.transitions!.toLocaleString('en')} history steps, ${c.visits!.toLocaleString('en')} room visits,
${c.feedback!.toLocaleString('en')} feedback answers and ${c.protocols!.toLocaleString('en')} protocol versions (seeded with generate_series in
${(seedMs / 1000).toFixed(1)} s). Timed through the report's own code: \`departmentMonthFigures\` (src/reports/figures.ts) — one SQL
statement for every institution, each with its own period in its time zone — and the XLSX of the consolidated table
(${INSTITUTIONS} institutions × ${reportFormV1.length} rows of the form, totals as formulas with their values) through src/export/table-export.ts.

| what | median | ${p95Label(m)} | runs |
| --- | ---: | ---: | ---: |
| the consolidated month ${MONTH} (${inMonth[0]!.n.toLocaleString('en')} consultations in the period, ${held.toLocaleString('en')} held) | ${f(percentile(m, 50))} | ${f(p95(m))} | ${m.length} |
| a period holding all ${c.consultations!.toLocaleString('en')} consultations (worst case) | ${f(percentile(y, 50))} | ${f(p95(y))} | ${y.length} |
| its XLSX export (${(bytes / 1024).toFixed(1)} KB) | ${f(percentile(e, 50))} | ${f(p95(e))} | ${e.length} |

CPU time of one consolidated month (the mean of the timed runs, whatever else the machine was doing):
PostgreSQL ${dbCpuPerRun === null ? 'not measured (its backend is not readable in /proc here)' : `**${dbCpuPerRun.toFixed(0)} ms**`}, this
process (Prisma and the code) ${nodeCpuPerRun.toFixed(0)} ms.

The machine's 1-minute load average was ${loadBefore.toFixed(1)} when the timing began and ${loadAfter.toFixed(1)} when it ended
(${cpus} cores): wall times on a busier machine are longer by about that ratio.

Peak memory of the whole process (maxRSS, the Prisma client included): **${maxRssMb.toFixed(0)} MB**.

Targets (issue 18): the report < 1 s — **${monthOk ? 'met' : 'NOT met'}**; < 512 MB — **${memOk ? 'met' : 'NOT met'}**;
the export < 5 s — **${exportOk ? 'met' : 'NOT met'}**. No summary table and no new index: the plan below takes each
institution's period as one range of consultations (institution_id, start) and requests (institution_id, received_at), then
primary-key and existing index look-ups per consultation (its request, room visits and their participants, the latest
protocol version when the consultation has no topic, a successor by rescheduled_from_id) and per request (its consultations
by request_id, e-mail answers); the history's moves and failures and the feedback answers are each scanned once and hash-joined.
PostgreSQL's JIT is switched off for these statements (\`SET LOCAL jit = off\` in src/reports/figures.ts): with it on,
the same statement took 10–13 s (compiling its dozens of aggregates), against about 1 s with it off, measured at the same load.

The plan of the consolidated month (\`EXPLAIN (ANALYZE, COSTS OFF)\`):

\`\`\`text
${plan.map((r) => r['QUERY PLAN']).join('\n')}
\`\`\``,
  );
  writeReadmeFigure(
    'report-month',
    `the consolidated monthly report of 20 institutions over 100 000 consultations takes ${f(percentile(m, 50))} (median; ${f(p95(m))} ${p95Label(m)}${dbCpuPerRun === null ? '' : `; ${dbCpuPerRun.toFixed(0)} ms of PostgreSQL's CPU`}), its XLSX ${f(percentile(e, 50))}, in ${maxRssMb.toFixed(0)} MB`,
  );
  if (!monthOk || !memOk || !exportOk) process.exitCode = 1;
} finally {
  await prisma.$disconnect();
  // BENCH_REPORT_KEEP=1 keeps the seeded database to study its plans (psql), and prints its URL.
  if (process.env.BENCH_REPORT_KEEP) console.log(`kept: ${db.url}`);
  else await db.drop();
}
