// The test harness's movable clock (clock/server-clock.ts): refused in production, its
// endpoint absent unless switched on, and moving it runs the timetable jobs now due — real
// PostgreSQL, real Redis + BullMQ, real SFU.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { TEST_CLOCK_REFUSED, loadSignallingConfig } from '../src/config.ts';
import { createServerClock } from '../src/clock/server-clock.ts';
import type { JobOutcome } from '../src/timetable/timetable-service.ts';
import { LINK_SECRET, SECRET, onJobOutcome, roomId, startStack, tokenFor, waitFor, type Stack } from './harness.ts';

const MIN = 60_000;
const repoRoot = resolve(import.meta.dirname, '../../..');
const base = { SFU_RPC_SECRET: SECRET, LINK_SECRET, DATABASE_URL: 'postgresql://x@127.0.0.1/x', REDIS_URL: 'redis://127.0.0.1:1' };

describe('DP_TEST_CLOCK is refused in production', () => {
  it('the configuration refuses it with NODE_ENV=production or the production mode, allows it otherwise', () => {
    expect(() => loadSignallingConfig({ ...base, DP_TEST_CLOCK: '1', NODE_ENV: 'production' })).toThrow(TEST_CLOCK_REFUSED);
    expect(() => loadSignallingConfig({ ...base, DP_TEST_CLOCK: '1', DISTPRIEM_MODE: 'production' })).toThrow(TEST_CLOCK_REFUSED);
    expect(loadSignallingConfig({ ...base, DP_TEST_CLOCK: '1', NODE_ENV: 'test' }).testClock).toBe(true);
    expect(loadSignallingConfig({ ...base, NODE_ENV: 'production' }).testClock).toBe(false);
  });

  it('main.ts as a process exits at once with the clear message', async () => {
    const child = spawn(process.execPath, [join(repoRoot, 'apps/signalling/src/main.ts')], {
      env: { PATH: process.env.PATH ?? '', ...base, NODE_ENV: 'production', DP_TEST_CLOCK: '1', PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
    expect(code).toBe(1);
    expect(output.trim()).toBe(TEST_CLOCK_REFUSED);
  }, 30_000);

  it('the production clock does not move', async () => {
    await expect(createServerClock({ movable: false }).advance(MIN)).rejects.toThrow(/DP_TEST_CLOCK/);
  });
});

describe('the movable clock', () => {
  it('moves business time, and a timer armed for it fires when the clock passes its moment', async () => {
    const clock = createServerClock({ movable: true });
    const fired: string[] = [];
    clock.after(30 * MIN, () => fired.push('limit'));
    const later = clock.after(90 * MIN, () => fired.push('later'));
    const before = clock.now();
    await clock.advance(31 * MIN);
    expect(clock.now() - before).toBeGreaterThanOrEqual(31 * MIN);
    expect(clock.offsetMs()).toBe(31 * MIN);
    await waitFor(() => fired.length === 1, 2_000);
    expect(fired).toEqual(['limit']);
    later.cancel();
    await clock.advance(60 * MIN);
    await new Promise((r) => setTimeout(r, 100));
    expect(fired).toEqual(['limit']);
    await expect(clock.advance(-1)).rejects.toThrow(RangeError);
  });
});

describe('POST /__test/clock', () => {
  let plain: Stack;
  let harness: Stack;
  beforeAll(async () => {
    plain = await startStack(31600);
    harness = await startStack(31800, 1, { DP_TEST_CLOCK: '1' });
  }, 90_000);
  afterAll(async () => {
    await Promise.all([plain?.close(), harness?.close()]);
  }, 60_000);

  const advance = (stack: Stack, body: unknown) =>
    fetch(`${stack.url}/__test/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('is absent (404) when the server started without DP_TEST_CLOCK, and the clock stays real', async () => {
    expect((await advance(plain, { advanceMs: MIN })).status).toBe(404);
    expect(plain.signalling.clock.movable).toBe(false);
    expect(Math.abs(plain.signalling.clock.now() - Date.now())).toBeLessThan(1_000);
  });

  it('refuses a bad body with 400', async () => {
    expect((await advance(harness, { advanceMs: -5 })).status).toBe(400);
    expect((await advance(harness, { advanceMs: 'soon' })).status).toBe(400);
    expect(harness.signalling.clock.offsetMs()).toBe(0);
  });

  it('moving the clock runs the timetable jobs now due (the pre-check opens), and no others', async () => {
    const name = 'clock-precheck';
    const id = roomId(name);
    const seen: JobOutcome[] = [];
    onJobOutcome((o) => o.job.consultationId === id && seen.push(o));
    const start = new Date(harness.signalling.clock.now() + 2 * 60 * MIN);
    await tokenFor(harness, name, 'client', { start, state: 'planned' });
    await harness.signalling.timetable.changed(id);
    // Nothing is due for an hour and a half.
    await new Promise((r) => setTimeout(r, 500));
    expect(seen).toEqual([]);

    // T−29 min: the pre-check window (T−30) opened a minute ago.
    const res = await advance(harness, { advanceMs: 91 * MIN });
    expect(res.status).toBe(200);
    const moved = (await res.json()) as { now: string; offsetMs: number };
    expect(moved.offsetMs).toBe(91 * MIN);
    expect(Date.parse(moved.now) - Date.now()).toBeGreaterThan(90 * MIN);
    await waitFor(() => seen.some((o) => o.job.kind === 'precheck_open'), 10_000);
    expect(seen.find((o) => o.job.kind === 'precheck_open')?.action).toBe('open_precheck');
    const row = await harness.signalling.prisma.consultation.findUniqueOrThrow({ where: { id } });
    expect(row.state).toBe('precheck');
    // The T−5 alert and the start are still ahead: still waiting.
    await new Promise((r) => setTimeout(r, 1_000));
    expect(seen.map((o) => o.job.kind)).toEqual(['precheck_open']);
    const pending = await harness.signalling.timetable.queue.pending(id);
    expect(pending.map((j) => j.kind)).toContain('clients_admitted');

    // The link page asked now says so by the moved clock, and carries the server's time.
    const token = await tokenFor(harness, name, 'client', { ttlMs: 24 * 60 * MIN });
    const info = (await (await fetch(`${harness.url}/api/links/${token}`)).json()) as {
      serverNow: string;
      consultation: { status: string };
    };
    expect(Date.parse(info.serverNow) - Date.now()).toBeGreaterThan(90 * MIN);
    expect(info.consultation.status).toBe('upcoming');

    // Past T−5: the alert job runs too.
    await advance(harness, { advanceMs: 25 * MIN });
    await waitFor(() => seen.some((o) => o.job.kind === 'precheck_alert'), 10_000);
  }, 60_000);
});
