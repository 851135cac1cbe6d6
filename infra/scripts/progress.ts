// Turns a long tool output (apt, meson and ninja, turbo and jest) into one line per step on
// the terminal, and keeps every line in the command's log file.
//
//   <command> 2>&1 | node infra/scripts/progress.ts --log FILE --label TEXT [--mode ninja|jest]
//
// It prints «==> TEXT» first. On a terminal (stderr is a TTY) that line is then rewritten in
// place (\r) with the progress:
//   ninja: «==> TEXT [n/N]», from ninja's own `[n/N] …` lines (and the `==> …` lines of the
//          script that runs it, as «==> TEXT: what it does now»);
//   jest:  «==> TEXT: n test files passed, m failed», from jest's PASS/FAIL lines.
// Elsewhere (CI, a pipe, a file) no line is rewritten: ninja's progress every 10 %, the script's
// own `==> …` lines, and every failed test file as it happens, indented under «==> TEXT».
// In ninja mode `error: …`, apt's `E: …` and ninja's `FAILED: …` lines always show.
// At the end, in jest mode, each package's jest summary (`Tests: …`) and the failed tests.
// DP_PROGRESS=tty|plain overrides the terminal check (for tests). Always exits 0: the status
// that counts is the command's (`set -o pipefail`).
import { createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    log: { type: 'string' },
    label: { type: 'string', default: 'Working' },
    mode: { type: 'string', default: 'ninja' },
  },
});
if (!values.log) throw new Error('usage: progress.ts --log FILE --label TEXT [--mode ninja|jest]');
const label = values.label;
const mode = values.mode === 'jest' ? 'jest' : 'ninja';
const tty = process.env.DP_PROGRESS ? process.env.DP_PROGRESS === 'tty' : Boolean(process.stderr.isTTY);
const log = createWriteStream(values.log, { flags: 'a' });

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;
let live = false; // a rewritten line is on screen (TTY only)
const columns = () => Math.max(20, (process.stderr.columns || 100) - 1);

function show(line: string): void {
  if (tty) {
    process.stderr.write(`\r\u001b[K${line.length > columns() ? `${line.slice(0, columns() - 1)}…` : line}`);
    live = true;
  }
}
function print(line: string): void {
  if (live) process.stderr.write('\r\u001b[K');
  live = false;
  process.stderr.write(`${line}\n`);
}

// ninja
let step = '';
let done = 0;
let total = 0;
let shownDecile = -1;
// jest (turbo prefixes every line with `<package>:<task>: `)
let passed = 0;
let failed = 0;
const summaries: string[] = [];
const failures: string[] = [];
const failedFiles = new Set<string>();
/** The first lines of each failed test's message (not its stack), so CI's own output says why. */
const MESSAGE_LINES = 8;
let reading: string[] | null = null; // the failed test whose message lines are being read

function ninjaLine(line: string): void {
  const counter = /^\[(\d+)\/(\d+)\]/.exec(line);
  if (counter) {
    done = Number(counter[1]);
    total = Number(counter[2]);
    if (tty) show(`==> ${label} [${done}/${total}]`);
    else {
      const decile = Math.floor((10 * done) / total);
      if (decile > shownDecile) {
        shownDecile = decile;
        print(`    [${done}/${total}] ${decile * 10} %`);
      }
    }
    return;
  }
  const own = /^==> (.*)$/.exec(line);
  if (own) {
    step = own[1]!;
    if (tty) show(`==> ${label}: ${step}`);
    else print(`    ${step}`);
  }
}

function jestLine(line: string): void {
  const body = line.replace(/^\S+?:[\w:-]+: /, '');
  const pkg = /^(\S+?):[\w:-]+: /.exec(line)?.[1] ?? '';
  const file = /^(PASS|FAIL) +(\S+)/.exec(body);
  if (file) {
    if (file[1] === 'PASS') passed += 1;
    else if (failedFiles.has(`${pkg} ${file[2]}`))
      return; // jest's closing summary names it again
    else {
      failedFiles.add(`${pkg} ${file[2]}`);
      failed += 1;
      if (!tty) print(`    FAIL ${pkg} ${file[2]}`);
    }
    if (tty) show(`==> ${label}: ${passed} test files passed, ${failed} failed${failed ? ' (listed at the end)' : ''}`);
    return;
  }
  if (/^Tests: +\d/.test(body)) summaries.push(`    ${pkg.padEnd(18)} ${body}`);
  if (/^ {2}● (?!Console)/.test(body)) {
    // jest names a failed test twice (in its file's output, then in the closing summary): once here.
    const header = `    ${pkg} ${body.trim()}`;
    reading = failures.includes(header) || failures.length >= 200 ? null : [];
    if (reading) failures.push(header);
    return;
  }
  if (!reading) return;
  const text = body.trim();
  // A message's lines are indented by four or more; anything less is the next part of the output.
  if (text && !/^ {4}/.test(body)) reading = null;
  else if (/^at /.test(text))
    reading = null; // the stack: the message is over
  else if (text && !/^\d+ \||^>? *\d+ \||^\|/.test(text) && reading.length < MESSAGE_LINES) {
    reading.push(text);
    failures.push(`          ${text.length > 200 ? `${text.slice(0, 199)}…` : text}`);
  }
}

if (tty) show(`==> ${label}`);
else print(`==> ${label}`);

const input = createInterface({ input: process.stdin, crlfDelay: Infinity });
input.on('line', (raw) => {
  log.write(`${raw}\n`);
  const line = raw.replace(ANSI, '');
  if (mode === 'ninja' && /^(error:|E: |FAILED: |ninja: build stopped)/.test(line)) print(`    ${line}`);
  else if (mode === 'ninja') ninjaLine(line);
  else jestLine(line);
});
input.on('close', () => {
  if (mode === 'ninja') {
    if (live) print(total ? `==> ${label} [${done}/${total}]` : `==> ${label}`);
  } else {
    const counts = `${passed} test files passed, ${failed} failed`;
    if (tty) print(`==> ${label}: ${counts}`);
    else print(`    ${counts}`);
    for (const s of summaries) print(s);
    if (failures.length) {
      print('    Failed tests:');
      for (const f of failures) print(`  ${f}`);
    }
  }
  log.end(() => process.exit(0));
});
