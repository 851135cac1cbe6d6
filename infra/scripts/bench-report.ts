// Writes one benchmark's section into docs/benchmarks.md, between
// <!-- bench:NAME --> and <!-- /bench:NAME --> markers, with the machine and date,
// leaving every other section as it was; and its one-sentence summary into the README,
// between <!-- bench-figure:NAME --> and <!-- /bench-figure:NAME -->. Used by every
// `pnpm bench` script. A benchmark writes only what it measured in that run.
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { cpus, totalmem, release } from 'node:os';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const file = resolve(repoRoot, 'docs/benchmarks.md');
const readme = resolve(repoRoot, 'README.md');

export function machineLine(): string {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  const gib = Math.round(totalmem() / 2 ** 30);
  return `${cpus().length} × ${cpu}, ${gib} GiB RAM, Linux ${release()}, Node ${process.versions.node}`;
}

export function writeBenchSection(name: string, title: string, body: string): void {
  const header =
    '# Benchmarks\n\nWritten by `./pnpm bench` (each section by its own benchmark; re-running one replaces only its section).\n';
  let doc = existsSync(file) ? readFileSync(file, 'utf8') : header;
  const start = `<!-- bench:${name} -->`;
  const end = `<!-- /bench:${name} -->`;
  const section = `${start}\n## ${title}\n\n_Machine: ${machineLine()}. Date: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC._\n\n${body.trim()}\n${end}`;
  const i = doc.indexOf(start);
  const j = doc.indexOf(end);
  doc = i >= 0 && j > i ? doc.slice(0, i) + section + doc.slice(j + end.length) : `${doc.trimEnd()}\n\n${section}\n`;
  writeFileSync(file, doc);
  console.log(`benchmark "${name}" written to docs/benchmarks.md`);
}

/**
 * Replaces the README's figure of one benchmark (between `<!-- bench-figure:NAME -->` and
 * `<!-- /bench-figure:NAME -->`) with `sentence`; a README without those markers is left alone.
 */
export function writeReadmeFigure(name: string, sentence: string): void {
  const start = `<!-- bench-figure:${name} -->`;
  const end = `<!-- /bench-figure:${name} -->`;
  const doc = readFileSync(readme, 'utf8');
  const i = doc.indexOf(start);
  const j = doc.indexOf(end);
  if (i < 0 || j < i) {
    console.log(`README.md has no ${start} marker: its figure is not updated`);
    return;
  }
  writeFileSync(readme, `${doc.slice(0, i + start.length)}${sentence.trim()}${doc.slice(j)}`);
}

/**
 * Whether the p-th percentile of n samples is one: at least one sample lies above it. Of 20
 * samples the "p99" would be the maximum, so it must be called the maximum.
 */
export function hasPercentile(n: number, p: number): boolean {
  return n * (1 - p / 100) >= 1 - 1e-9;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx]!;
}
