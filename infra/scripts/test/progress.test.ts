import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// The start and test commands' output filter (progress.ts) and step helpers (steps.sh), on
// captured tool output: a worker build's apt, meson and ninja lines, and turbo's jest lines.

const here = fileURLToPath(new URL('.', import.meta.url));
const scripts = resolve(here, '..');
const fixture = (name: string) => readFileSync(join(here, 'fixtures', name), 'utf8');
const tmp = () => mkdtempSync(join(tmpdir(), 'dp-progress-'));

function filter(input: string, mode: 'ninja' | 'jest', display: 'tty' | 'plain', label = 'Building the media worker') {
  const log = join(tmp(), 'run.log');
  const r = spawnSync(process.execPath, [join(scripts, 'progress.ts'), '--log', log, '--label', label, '--mode', mode], {
    input,
    env: { ...process.env, DP_PROGRESS: display },
    encoding: 'utf8',
  });
  return { status: r.status, stderr: r.stderr, stdout: r.stdout, log: readFileSync(log, 'utf8') };
}

describe('progress.ts, ninja mode (the worker build)', () => {
  const input = fixture('ninja-build.txt');

  it('keeps every line in the log and, off a terminal, prints the steps and a progress line every 10 %', () => {
    const r = filter(input, 'ninja', 'plain');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.log).toBe(input);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines[0]).toBe('==> Building the media worker');
    const progress = lines.filter((l) => /^ {4}\[\d+\/279\] \d+ %$/.test(l));
    expect(progress.map((l) => l.replace(/^.* (\d+) %$/, '$1'))).toEqual([
      '0',
      '10',
      '20',
      '30',
      '40',
      '50',
      '60',
      '70',
      '80',
      '90',
      '100',
    ]);
    expect(progress.at(-1)).toBe('    [279/279] 100 %');
    expect(lines).toContain('    meson setup (release)');
    expect(lines).toContain('    Installing Debian packages: meson ninja-build');
    // Nothing of apt's, meson's or the compiler's own output.
    expect(r.stderr).not.toMatch(/Compiling|Unpacking|Meson build system|warning/);
    expect(lines.length).toBeLessThan(25);
    expect(r.stderr).not.toContain('\r');
  });

  it('on a terminal, rewrites one line with [n/N] and ends it with the last count', () => {
    const r = filter(input, 'ninja', 'tty');
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('\r\u001b[K==> Building the media worker [140/279]');
    expect(r.stderr).toContain('\r\u001b[K==> Building the media worker: meson setup (release)');
    // One finished line only: everything else was rewritten in place.
    expect(r.stderr.match(/\n/g)).toHaveLength(1);
    expect(r.stderr.endsWith('\r\u001b[K==> Building the media worker [279/279]\n')).toBe(true);
    expect(r.stderr).not.toMatch(/Compiling|Unpacking/);
  });

  it('shows a build error whatever the display', () => {
    const failing = `${input.split('\n').slice(0, 40).join('\n')}\nFAILED: libmediasoup-worker.a.p/src_RTC_Router.cpp.o\nninja: build stopped: subcommand failed.\nerror: the build produced no out/Release/mediasoup-worker\n`;
    for (const display of ['plain', 'tty'] as const) {
      const r = filter(failing, 'ninja', display);
      expect(r.stderr).toContain('    FAILED: libmediasoup-worker.a.p/src_RTC_Router.cpp.o\n');
      expect(r.stderr).toContain('    error: the build produced no out/Release/mediasoup-worker\n');
    }
  });
});

describe('progress.ts, jest mode (turbo run test)', () => {
  const input = fixture('turbo-jest.txt');

  it('off a terminal, names each failed file as it comes, then the counts, each package’s summary and the failed tests', () => {
    const r = filter(input, 'jest', 'plain', 'Unit and integration tests');
    expect(r.log).toBe(input);
    expect(r.stderr.trimEnd().split('\n')).toEqual([
      '==> Unit and integration tests',
      '    FAIL @dp/signalling test/rooms.test.ts',
      '    3 test files passed, 1 failed',
      '    @dp/protocol       Tests:       41 passed, 41 total',
      '    @dp/signalling     Tests:       1 failed, 57 passed, 58 total',
      '    Failed tests:',
      '      @dp/signalling ● rooms › closes the room when the specialist ends it',
      '            expect(received).toBe(expected) // Object.is equality',
    ]);
  });

  it('on a terminal, counts on one line and ends with the counts', () => {
    const r = filter(input, 'jest', 'tty', 'Unit and integration tests');
    expect(r.stderr).toContain('\r\u001b[K==> Unit and integration tests: 2 test files passed, 0 failed');
    expect(r.stderr).toContain('\r\u001b[K==> Unit and integration tests: 3 test files passed, 1 failed\n');
    expect(r.stderr).not.toContain('console.error');
  });
});

describe('steps.sh', () => {
  const run = (script: string) => {
    const dir = tmp();
    const r = spawnSync(
      'bash',
      ['-c', `set -euo pipefail; DP_LOG=${dir}/x.log; : > "$DP_LOG"; . ${join(scripts, 'steps.sh')}; ${script}`],
      {
        encoding: 'utf8',
      },
    );
    return { ...r, log: readFileSync(join(dir, 'x.log'), 'utf8'), logPath: join(dir, 'x.log') };
  };

  it('says a step in one line and keeps the command’s output in the log', () => {
    const r = run(`step "Doing the thing" bash -c 'echo out-line; echo err-line >&2'; echo after`);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('==> Doing the thing\n');
    expect(r.stdout).toBe('after\n');
    expect(r.log).toContain('out-line\nerr-line\n');
  });

  it('on failure names the step, shows the log’s last lines and its path, and exits with the command’s status', () => {
    const r = run(`step "Applying database migrations" bash -c 'for i in $(seq 1 40); do echo "line $i"; done; exit 3'; echo never`);
    expect(r.status).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('error: Applying database migrations failed (exit status 3). The last 30 lines of its log:');
    expect(r.stderr).toContain('    line 40\n');
    expect(r.stderr).toContain('    line 11\n');
    expect(r.stderr).not.toContain('    line 10\n');
    expect(r.stderr).toContain(`the whole output is in ${r.logPath}`);
  });

  it('runs a command through progress.ts and returns the command’s status', () => {
    const r = run(`dp_progress_run "Building" ninja bash -c 'echo "[1/2] a"; echo "[2/2] b"; exit 5' || echo "status $?"`);
    expect(r.stdout).toBe('status 5\n');
    expect(r.log).toContain('[1/2] a\n[2/2] b\n');
  });
});
