// `./pnpm audit:deps` (and a step of `./pnpm bench`): the production dependencies' known
// advisories, from the npm registry's audit endpoint via `pnpm audit --prod --json`.
// Fails on a high or critical advisory unless infra/audit-allowlist.json lists it with a
// reason and a review-by date that has not passed. Not part of `./pnpm test`: an advisory
// published tomorrow must not break an unrelated change.
//
//   node infra/scripts/audit-deps.ts [--report FILE]
//
// --report reads a saved `pnpm audit --json` answer instead of asking the registry.
// Exit codes: 0 nothing blocking; 1 a high or critical advisory not allowed (or its
// allowance expired), or a malformed allow-list; 2 the audit could not be made (the
// registry's endpoint unreachable or answering an error) — that is never a pass.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const ALLOWLIST = resolve(repoRoot, 'infra/audit-allowlist.json');
const BLOCKING = new Set(['high', 'critical']);

interface Advisory {
  id: number | string;
  github_advisory_id?: string;
  cves?: string[];
  severity: string;
  module_name: string;
  title: string;
  url?: string;
  vulnerable_versions?: string;
}

export interface Allowance {
  /** The advisory's id as pnpm prints it (a number), its GHSA id or a CVE id. */
  id: string;
  reason: string;
  /** When it was allowed (YYYY-MM-DD). */
  date: string;
  /** After this day (YYYY-MM-DD) the allowance no longer counts: look again. */
  reviewBy: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function readAllowlist(text: string): Allowance[] {
  const parsed = JSON.parse(text) as { allow?: unknown };
  if (!Array.isArray(parsed.allow)) throw new Error('infra/audit-allowlist.json: "allow" must be an array');
  return parsed.allow.map((entry: unknown, i: number) => {
    const e = entry as Partial<Record<keyof Allowance, unknown>>;
    const bad = (field: string) => new Error(`infra/audit-allowlist.json: allow[${i}].${field} is missing or malformed`);
    if (typeof e.id !== 'string' || !e.id) throw bad('id');
    if (typeof e.reason !== 'string' || e.reason.trim().length < 10) throw bad('reason (say why, at least a sentence)');
    if (typeof e.date !== 'string' || !DAY.test(e.date)) throw bad('date (YYYY-MM-DD)');
    if (typeof e.reviewBy !== 'string' || !DAY.test(e.reviewBy)) throw bad('reviewBy (YYYY-MM-DD)');
    return { id: e.id, reason: e.reason, date: e.date, reviewBy: e.reviewBy };
  });
}

export interface Verdict {
  blocking: { advisory: Advisory; why: string }[];
  allowed: { advisory: Advisory; allowance: Allowance }[];
  below: Advisory[];
}

export function judge(advisories: Advisory[], allowlist: Allowance[], today: string): Verdict {
  const verdict: Verdict = { blocking: [], allowed: [], below: [] };
  for (const a of advisories) {
    if (!BLOCKING.has(a.severity)) {
      verdict.below.push(a);
      continue;
    }
    const ids = [String(a.id), a.github_advisory_id, ...(a.cves ?? [])].filter(Boolean);
    const allowance = allowlist.find((x) => ids.includes(x.id));
    if (!allowance) verdict.blocking.push({ advisory: a, why: 'not in infra/audit-allowlist.json' });
    else if (allowance.reviewBy < today) verdict.blocking.push({ advisory: a, why: `allowed until ${allowance.reviewBy}: review it` });
    else verdict.allowed.push({ advisory: a, allowance });
  }
  return verdict;
}

function runAudit(): { json?: unknown; problem?: string } {
  const r = spawnSync('pnpm', ['audit', '--prod', '--json'], { cwd: repoRoot, encoding: 'utf8', timeout: 120_000 });
  if (r.error) return { problem: `could not run pnpm audit: ${r.error.message}` };
  try {
    return { json: JSON.parse(r.stdout) };
  } catch {
    return { problem: `pnpm audit answered no JSON (exit ${r.status}): ${(r.stderr || r.stdout).trim().slice(0, 500)}` };
  }
}

function main(): number {
  const reportArg = process.argv.indexOf('--report');
  const { json, problem } =
    reportArg > 0 ? { json: JSON.parse(readFileSync(process.argv[reportArg + 1]!, 'utf8')) as unknown, problem: undefined } : runAudit();
  const answer = json as { error?: { code?: string; message?: string }; advisories?: Record<string, Advisory> } | undefined;
  if (problem || !answer || answer.error || !answer.advisories) {
    const why = problem ?? answer?.error?.message ?? 'the answer has no "advisories"';
    console.error(
      `audit:deps: NOT CHECKED — the npm registry's audit endpoint could not be used, so the dependencies' advisories are unknown.\n  ${why}\n` +
        '  (A proxy or mirror without /-/npm/v1/security/audits answers like this. Run it where registry.npmjs.org is reachable.)',
    );
    return 2;
  }
  let allowlist: Allowance[];
  try {
    allowlist = readAllowlist(readFileSync(ALLOWLIST, 'utf8'));
  } catch (e) {
    console.error(`audit:deps: ${(e as Error).message}`);
    return 1;
  }
  const today = new Date().toISOString().slice(0, 10);
  const v = judge(Object.values(answer.advisories), allowlist, today);
  const line = (a: Advisory) =>
    `${a.severity} ${a.module_name} ${a.vulnerable_versions ?? ''} — ${a.title} (${a.github_advisory_id ?? a.id}) ${a.url ?? ''}`;
  console.log(
    `audit:deps: ${v.blocking.length + v.allowed.length + v.below.length} advisories in production dependencies: ` +
      `${v.blocking.length} blocking, ${v.allowed.length} allowed, ${v.below.length} below high`,
  );
  for (const a of v.below) console.log(`  (below high) ${line(a)}`);
  for (const { advisory, allowance } of v.allowed)
    console.log(`  allowed until ${allowance.reviewBy}: ${line(advisory)} — ${allowance.reason}`);
  for (const { advisory, why } of v.blocking) console.error(`  BLOCKING (${why}): ${line(advisory)}`);
  return v.blocking.length ? 1 : 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exit(main());
