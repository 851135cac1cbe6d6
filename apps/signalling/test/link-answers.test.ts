// The client's «Не смогу прийти / нужно другое время» and the calendar file, on the real stack
// (real PostgreSQL, Redis budgets, signer and gate): only a valid link of a consultation still
// ahead may answer; the answer is stored, audited (without the client's words) and reaches the
// specialist's bell, the link page and the consultation's page; both routes spend the link's
// look-up budget. And the notes of a closed consultation stay readable on its page.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { signedInAs, seatFor, startStack, tokenFor, type Stack } from './harness.ts';

let stack: Stack;
const LOOKUPS_PER_LINK = 6;

beforeAll(async () => {
  stack = await startStack(26700, 1, { LIMIT_LINK_LOOKUPS_PER_LINK: String(LOOKUPS_PER_LINK) });
}, 60_000);

afterAll(async () => {
  await stack?.close();
}, 30_000);

const HOUR = 3_600_000;

async function post(path: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${stack.url}/api${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** A consultation tomorrow with a specialist (in its specialists) and a client link. */
async function upcoming(room: string) {
  const start = new Date(Date.now() + 24 * HOUR);
  const seat = await seatFor(stack, room, 'specialist', { start, state: 'planned' });
  const prisma = stack.signalling.prisma;
  await prisma.consultationSpecialist.create({ data: { consultationId: seat.consultationId, specialistId: seat.staffUserId! } });
  const token = await tokenFor(stack, room, 'client', { displayName: 'Анна Клиентова' });
  const participantId = stack.signalling.links.verify(token).participantId;
  return { seat, token, participantId, consultationId: seat.consultationId };
}

describe('links.answer («не смогу прийти»)', () => {
  it('a valid link stores the answer, audits it without the words, tells the staff and shows it on both pages', async () => {
    const { seat, token, participantId, consultationId } = await upcoming('answer-1');
    const res = await post(`/links/${token}/answer`, { kind: 'other_time', note: 'Можно в четверг после обеда?' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ kind: 'other_time', at: expect.any(String) });

    const prisma = stack.signalling.prisma;
    const rows = await prisma.clientAnswer.findMany({ where: { consultationId } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ participantId, kind: 'other_time', note: 'Можно в четверг после обеда?' });

    const audits = await prisma.auditEvent.findMany({ where: { action: 'consultation.client_answered', targetId: consultationId } });
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ actorType: 'client', actorId: participantId, targetType: 'consultation' });
    expect(JSON.stringify(audits[0]!.details)).not.toContain('четверг');

    const notices = await prisma.staffNotice.findMany({ where: { consultationId, kind: 'cannot_come' } });
    expect(notices.map((n) => n.recipientId)).toContain(seat.staffUserId);

    // The link page says it was sent; the consultation's page shows it to its specialist.
    const page = (await (await fetch(`${stack.url}/api/links/${token}`)).json()) as { consultation: { answer: unknown } };
    expect(page.consultation.answer).toEqual({ kind: 'other_time', at: res.body['at'] });
    const { api } = await signedInAs(stack, seat.staffUserId!);
    const detail = await api('GET', `/consultations/${consultationId}`);
    expect(detail.status).toBe(200);
    expect(detail.body['clientAnswers']).toEqual([
      { id: rows[0]!.id, participantId, kind: 'other_time', note: 'Можно в четверг после обеда?', createdAt: res.body['at'] },
    ]);
  }, 30_000);

  it('refuses a forged link, a revoked one, a cancelled consultation and a wrong kind, storing nothing', async () => {
    const { token, consultationId, participantId } = await upcoming('answer-2');
    const forged = `${token.slice(0, -4)}AAAA`;
    expect((await post(`/links/${forged}/answer`, { kind: 'cannot_come' })).status).toBe(404);

    const bad = await post(`/links/${token}/answer`, { kind: 'maybe', note: 'x'.repeat(501) });
    expect(bad.status).toBe(400);
    expect(Object.keys((bad.body['error'] as { details: object }).details).sort()).toEqual(['kind', 'note']);

    const prisma = stack.signalling.prisma;
    await prisma.participant.update({ where: { id: participantId }, data: { linkRevokedAt: new Date() } });
    const revoked = await post(`/links/${token}/answer`, { kind: 'cannot_come' });
    expect(revoked.status).toBe(410);
    expect(revoked.body).toMatchObject({ error: { code: 'link_revoked' } });

    const other = await upcoming('answer-3');
    await prisma.consultation.update({ where: { id: other.consultationId }, data: { state: 'cancelled' } });
    expect((await post(`/links/${other.token}/answer`, { kind: 'cannot_come' })).status).toBe(409);

    expect(await prisma.clientAnswer.count({ where: { consultationId: { in: [consultationId, other.consultationId] } } })).toBe(0);
  }, 30_000);

  it('spends the link’s look-up budget: past it, 429 with Retry-After', async () => {
    const { token } = await upcoming('answer-4');
    const statuses: number[] = [];
    for (let i = 0; i < LOOKUPS_PER_LINK; i++) statuses.push((await post(`/links/${token}/answer`, { kind: 'cannot_come' })).status);
    expect(statuses.every((s) => s === 201)).toBe(true);
    const res = await fetch(`${stack.url}/api/links/${token}/answer`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'cannot_come' }),
    });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // The calendar file shares the budget.
    expect((await fetch(`${stack.url}/api/links/${token}/calendar.ics`)).status).toBe(429);
  }, 30_000);
});

describe('links.calendar (.ics)', () => {
  it('answers text/calendar with the time in UTC, the institution and the link', async () => {
    const { token, consultationId } = await upcoming('calendar-1');
    const res = await fetch(`${stack.url}/api/links/${token}/calendar.ics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/calendar/);
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="consultation\.ics"/);
    const text = await res.text();
    const c = await stack.signalling.prisma.consultation.findUniqueOrThrow({
      where: { id: consultationId },
      include: { institution: true },
    });
    const utc = c.start
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d{3}/, '');
    expect(text).toContain('BEGIN:VCALENDAR');
    expect(text).toContain(`DTSTART:${utc}`);
    expect(text).toContain(c.institution.name);
    expect(text.replace(/\r\n[ \t]/g, '')).toContain(`/join/${token}`);
    expect((await fetch(`${stack.url}/api/links/${token.slice(0, -4)}AAAA/calendar.ics`)).status).toBe(404);
  }, 30_000);
});

describe('the consultation page after the room closed', () => {
  it('still reads the private notes, the history and the joins', async () => {
    const seat = await seatFor(stack, 'closed-notes', 'specialist', { state: 'ended' });
    const prisma = stack.signalling.prisma;
    await prisma.consultationNote.create({
      data: { consultationId: seat.consultationId, authorId: seat.staffUserId!, body: 'После закрытия' },
    });
    const joinedAt = new Date(Date.now() - 30 * 60_000);
    await prisma.roomVisit.create({
      data: {
        consultationId: seat.consultationId,
        participantId: seat.participantId,
        joinedAt,
        leftAt: new Date(joinedAt.getTime() + 600_000),
      },
    });
    const { api } = await signedInAs(stack, seat.staffUserId!);
    const notes = await api('GET', `/consultations/${seat.consultationId}/notes`);
    expect(notes.status).toBe(200);
    expect(JSON.stringify(notes.body)).toContain('После закрытия');
    const detail = await api('GET', `/consultations/${seat.consultationId}`);
    expect(detail.status).toBe(200);
    expect(detail.body['state']).toBe('ended');
    expect(detail.body['visits']).toEqual([
      { participantId: seat.participantId, joinedAt: joinedAt.toISOString(), leftAt: new Date(joinedAt.getTime() + 600_000).toISOString() },
    ]);
    expect((await api('GET', `/consultations/${seat.consultationId}/history`)).status).toBe(200);
  }, 30_000);
});
