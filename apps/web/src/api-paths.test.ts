import { describe, expect, it } from '@jest/globals';
import { operations } from '@dp/protocol';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

// The web calls /api only by the contract's operation names (`api.call('staff.update', …)`,
// staff/api.ts): no REST path is written anywhere in apps/web/src. This test reads every
// source file and fails on a path string call coming back.

const SRC = fileURLToPath(new URL('.', import.meta.url));
/** The only places that may build an /api address: the client, and the link page's zod-free look-up. */
const CLIENTS = new Set(['staff/api.ts', 'join/link-info.ts', 'join/feedback-info.ts']);

/** The page addresses of the router: a literal equal to one of these is a page, not a call. */
const PAGE_ROUTES = [...readFileSync(join(SRC, 'app/router.tsx'), 'utf8').matchAll(/path: '([^']+)'/g)].map((m) => m[1]!);

const pattern = (path: string) => new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:[A-Za-z]+/g, '[^/]+')}/?(\\?.*)?$`);
const apiPaths = operations.map((op) => ({ name: op.name, re: pattern(op.path) }));
const pages = PAGE_ROUTES.filter((p) => p !== '*').map(pattern);

/** String and template literals of a source, `${…}` parts as one path segment. */
function literals(source: string): string[] {
  const out: string[] = [];
  for (const m of source.matchAll(/'((?:[^'\\\n]|\\.)*)'|"((?:[^"\\\n]|\\.)*)"|`((?:[^`\\]|\\.)*)`/g)) {
    out.push((m[1] ?? m[2] ?? m[3] ?? '').replace(/\$\{[^}]*\}/g, 'x'));
  }
  return out;
}

/** What is wrong with one file (its path relative to src), in words. */
function violations(file: string, source: string): string[] {
  const found: string[] = [];
  if (/\bapi\.(get|post|put|patch|delete)\s*\(/.test(source))
    found.push(`${file}: api.get/post/put/patch/delete — call api.call('<operation>', …)`);
  if (!CLIENTS.has(file)) {
    if (/\bfetch\s*\(/.test(source)) found.push(`${file}: fetch( — call api.call('<operation>', …) (staff/api.ts)`);
    if (/['"`]\/api(\/|\$\{|['"`])/.test(source)) found.push(`${file}: an /api address — call api.call('<operation>', …)`);
  }
  for (const text of literals(source)) {
    if (!text.startsWith('/') || pages.some((re) => re.test(text))) continue;
    const op = apiPaths.find((p) => p.re.test(text));
    if (op) found.push(`${file}: '${text}' is the path of ${op.name} — call api.call('${op.name}', …)`);
  }
  return found;
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [path] : [];
  });
}

describe('REST calls from the web', () => {
  it('finds each kind of path string call (the check can fail)', () => {
    const flagged = (source: string, file = 'staff/Some.tsx') => violations(file, source);
    expect(flagged("api.get('/institutions', { schema })")).toHaveLength(2);
    expect(flagged('await api.post(`/staff/${id}/password-link`, {})')).toHaveLength(2);
    expect(flagged("const res = await fetch('/api/media/capabilities');")).toHaveLength(2);
    expect(flagged('const path = `/consultations/${consultationId}/participants/${who}/link`;')).toEqual([
      expect.stringContaining('consultations.show_link'),
    ]);
    expect(flagged("request('PUT', `/consultations/${id}/participants/${p}/note`, {})")).toEqual([
      expect.stringContaining('consultations.registry_note'),
    ]);
    // Pages, and the two clients' own address building, are not calls.
    expect(flagged('navigate(\'/staff\'); <Link to={`/staff/room/${c.id}`} />; <Link to="/account" />')).toEqual([]);
    expect(flagged('await fetch(`/api${linkDescribePath(token)}`)', 'join/link-info.ts')).toEqual([]);
    expect(flagged("api.call('consultations.reschedule', { consultationId }, body)")).toEqual([]);
  });

  it('apps/web/src makes none: every call goes through api.call with an operation name', () => {
    const files = sources(SRC);
    expect(files.length).toBeGreaterThan(50);
    const found = files.flatMap((path) => violations(relative(SRC, path).split('\\').join('/'), readFileSync(path, 'utf8')));
    expect(found).toEqual([]);
  });
});
