// The client's feedback form (анкета) on the real stack (real PostgreSQL, Redis budgets, signer
// and gate, the harness's movable clock): one answer per participant whichever of its links
// sends it, editable for 7 days by the server's clock, criteria 1–5 as field errors with
// nothing changed, only for an ended consultation and never for staff; staff read the
// answers without names.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { linkOf, seatFor, signedInAs, startStack, tokenFor, type Stack } from './harness.ts';

let stack: Stack;
const DAY = 24 * 3_600_000;
/** Links that outlive the clock's moves (the signer checks expiry by business time). */
const LONG = 30 * DAY;

beforeAll(async () => {
  stack = await startStack(28350, 1, { DP_TEST_CLOCK: '1' });
}, 60_000);

afterAll(async () => {
  await stack?.close();
}, 30_000);

const ANSWER = { quality: 5, topicMatch: 4, comfort: 5, clarity: 3, usefulness: 4, stateImproved: 2, specialistWork: 5 };

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${stack.url}/api${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}
const get = (token: string) => call('GET', `/links/${token}/feedback`);
const save = (token: string, body: unknown) => call('PUT', `/links/${token}/feedback`, body);

/** An ended consultation with its specialist (named) and one client link. */
async function ended(room: string) {
  const seat = await seatFor(stack, room, 'specialist', { state: 'ended', displayName: 'Ирина Петровна Смирнова' });
  const prisma = stack.signalling.prisma;
  await prisma.consultationSpecialist.create({ data: { consultationId: seat.consultationId, specialistId: seat.staffUserId! } });
  const token = await tokenFor(stack, room, 'client', { displayName: 'Анна Клиентова', ttlMs: LONG });
  const participantId = stack.signalling.links.verify(token).participantId;
  return { seat, token, participantId, consultationId: seat.consultationId };
}

describe('feedback.get / feedback.save', () => {
  it('saves, edits, and a rotated link of the same participant edits the same answer', async () => {
    const { token, participantId, consultationId } = await ended('fb-1');
    const first = await get(token);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      status: 'open',
      answer: null,
      editableUntil: null,
      specialist: { name: 'Ирина Петровна Смирнова' },
    });
    expect(JSON.stringify(first.body)).not.toContain('Клиентова');

    const saved = await save(token, { ...ANSWER, preference: 'more_practice', impressions: 'Было спокойно и понятно', wishes: '' });
    expect(saved.status).toBe(200);
    expect(saved.body['answer']).toEqual({ ...ANSWER, preference: 'more_practice', impressions: 'Было спокойно и понятно', wishes: null });
    const until = Date.parse(saved.body['editableUntil'] as string);
    expect(until - stack.signalling.clock.now()).toBeGreaterThan(7 * DAY - 60_000);
    expect(until - stack.signalling.clock.now()).toBeLessThanOrEqual(7 * DAY);

    // «Выдать новую ссылку»: the old link is refused, the new one edits the same answer.
    const prisma = stack.signalling.prisma;
    const p = await prisma.participant.update({ where: { id: participantId }, data: { linkGeneration: { increment: 1 } } });
    const rotated = linkOf(stack, { consultationId, participantId, role: 'client', generation: p.linkGeneration }, LONG);
    expect((await save(token, ANSWER)).status).toBe(410);
    const edited = await save(rotated, { ...ANSWER, quality: 2, preference: 'enough', impressions: null });
    expect(edited.status).toBe(200);
    expect(edited.body['editableUntil']).toBe(saved.body['editableUntil']);
    expect((await get(rotated)).body['answer']).toMatchObject({ quality: 2, preference: 'enough', impressions: null });

    const rows = await prisma.feedbackAnswer.findMany({ where: { consultationId } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ participantId, quality: 2, preference: 'enough' });

    // Audited: who and whether it was a change, never the words.
    const audits = await prisma.auditEvent.findMany({
      where: { action: 'consultation.feedback_saved', targetId: consultationId },
      orderBy: { at: 'asc' },
    });
    expect(audits.map((a) => (a.details as { edited: boolean }).edited)).toEqual([false, true]);
    expect(audits[0]).toMatchObject({ actorType: 'client', actorId: participantId });
    expect(JSON.stringify(audits.map((a) => a.details))).not.toContain('спокойно');
  }, 30_000);

  it('refuses criteria outside 1–5 and overlong texts with field errors, changing nothing', async () => {
    const { token, consultationId } = await ended('fb-2');
    expect((await save(token, ANSWER)).status).toBe(200);
    const before = await stack.signalling.prisma.feedbackAnswer.findFirstOrThrow({ where: { consultationId } });

    const bad = await save(token, { ...ANSWER, quality: 0, specialistWork: 6, clarity: 2.5, wishes: 'ы'.repeat(2001) });
    expect(bad.status).toBe(400);
    expect(Object.keys((bad.body['error'] as { details: object }).details).sort()).toEqual([
      'clarity',
      'quality',
      'specialistWork',
      'wishes',
    ]);
    const missing = await save(token, { quality: 5 });
    expect(missing.status).toBe(400);

    const after = await stack.signalling.prisma.feedbackAnswer.findFirstOrThrow({ where: { consultationId } });
    expect(after).toEqual(before);
  }, 30_000);

  it('is closed before the end and for a consultation that did not take place', async () => {
    const live = await tokenFor(stack, 'fb-3', 'client', { state: 'live', ttlMs: LONG });
    expect((await get(live)).body['status']).toBe('not_yet');
    const early = await save(live, ANSWER);
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({ error: { code: 'conflict' } });

    const noShow = await tokenFor(stack, 'fb-4', 'client', { state: 'no_show', ttlMs: LONG });
    expect((await get(noShow)).body['status']).toBe('no_show');
    expect((await save(noShow, ANSWER)).status).toBe(409);

    const ids = [live, noShow].map((t) => stack.signalling.links.verify(t).consultationId);
    expect(await stack.signalling.prisma.feedbackAnswer.count({ where: { consultationId: { in: ids } } })).toBe(0);
  }, 30_000);

  it('refuses staff: a lead role’s link is no link, and a staff participant does not answer', async () => {
    const { seat, consultationId } = await ended('fb-5');
    const prisma = stack.signalling.prisma;
    const lead = stack.signalling.links.sign({
      consultationId,
      participantId: seat.participantId,
      role: 'specialist',
      generation: 1,
      expiresAt: new Date(Date.now() + LONG),
    });
    expect((await save(lead, ANSWER)).status).toBe(404);
    // A member of staff seated as a client (e.g. a social worker sitting in with the family).
    const staffClient = await prisma.participant.create({ data: { consultationId, role: 'client', staffUserId: seat.staffUserId } });
    const token = linkOf(stack, { consultationId, participantId: staffClient.id, role: 'client' }, LONG);
    expect((await save(token, ANSWER)).status).toBe(403);
    expect(await prisma.feedbackAnswer.count({ where: { consultationId } })).toBe(0);
  }, 30_000);

  it('can be changed for 7 days from the first answer (by the server clock), then 409 and the answer stays', async () => {
    const { token, consultationId } = await ended('fb-6');
    expect((await save(token, ANSWER)).status).toBe(200);
    const advance = (ms: number) =>
      fetch(`${stack.url}/__test/clock`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ advanceMs: ms }),
      });
    expect((await advance(7 * DAY - 3_600_000)).status).toBe(200);
    expect((await save(token, { ...ANSWER, quality: 4 })).status).toBe(200);
    expect((await advance(2 * 3_600_000)).status).toBe(200);
    const late = await save(token, { ...ANSWER, quality: 1 });
    expect(late.status).toBe(409);
    expect((late.body['error'] as { message: string }).message).toMatch(/7 дней/);
    const form = await get(token);
    expect(form.body).toMatchObject({ status: 'closed', answer: { quality: 4 } });
    expect((await stack.signalling.prisma.feedbackAnswer.findFirstOrThrow({ where: { consultationId } })).quality).toBe(4);
  }, 30_000);
});

describe('feedback.consultation (staff)', () => {
  it('shows the consultation’s answers to its specialist without any name', async () => {
    const { seat, token, consultationId } = await ended('fb-7');
    const second = await tokenFor(stack, 'fb-7', 'client', { displayName: 'Борис Второй', ttlMs: LONG });
    expect((await save(token, { ...ANSWER, wishes: 'Больше примеров' })).status).toBe(200);
    expect((await save(second, { ...ANSWER, quality: 3 })).status).toBe(200);
    const { api } = await signedInAs(stack, seat.staffUserId!);
    const res = await api('GET', `/consultations/${consultationId}/feedback`);
    expect(res.status).toBe(200);
    const answers = res.body['answers'] as Record<string, unknown>[];
    expect(answers).toHaveLength(2);
    expect(answers.map((a) => a['quality'])).toEqual([5, 3]);
    expect(answers[0]).toMatchObject({ wishes: 'Больше примеров', answeredAt: expect.any(String) });
    const text = JSON.stringify(res.body);
    for (const secret of ['Клиентова', 'Борис', 'participantId', 'displayName']) expect(text).not.toContain(secret);
  }, 30_000);
});
