// Revoking a participant's link (staff REST) on the real stack: the holder in the room is
// taken out at once, the link page and `join` say «отозвана» (410 link_revoked, not the
// «unknown link» 404), the revocation is audited, and it is idempotent.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { connectPeer, connectSeat, errorCode, ok, roomId, seatFor, signedInAs, startStack, tokenFor, type Stack } from './harness.ts';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack(23800);
}, 60_000);

afterAll(async () => {
  await stack?.close();
}, 30_000);

describe('revoking a link', () => {
  it('takes the holder out of the room, and the link then says it was revoked', async () => {
    const seat = await seatFor(stack, 'revoke-1', 'specialist');
    const specialist = await connectSeat(stack, seat);
    ok(await specialist.request('join', seat.join));
    const clientToken = await tokenFor(stack, 'revoke-1', 'client');
    const client = await connectPeer(stack);
    const joined = ok(await client.request<{ self: { id: string } }>('join', { token: clientToken }));
    const admitted = client.next('admitted');
    ok(await specialist.request('admit', { peerId: joined.self.id }));
    await admitted;

    const prisma = stack.signalling.prisma;
    const consultation = await prisma.consultation.findUniqueOrThrow({ where: { id: roomId('revoke-1') }, include: { institution: true } });
    const head = await prisma.staffUser.create({
      data: {
        email: `head-${randomBytes(4).toString('hex')}@example.org`,
        displayName: 'Заведующая отделением',
        role: 'head',
        institutionId: consultation.institutionId,
        departmentId: consultation.institution.departmentId,
        passwordHash: 'set by signedInAs',
      },
    });
    const { api } = await signedInAs(stack, head.id);

    const left = specialist.next('peerLeft');
    const removed = client.next('removed');
    const path = `/consultations/${roomId('revoke-1')}/participants/${joined.self.id}/revoke-link`;
    const res = await api('POST', path, {});
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ participantId: joined.self.id, revokedAt: expect.any(String) });
    expect(await removed).toEqual({ reason: 'link_revoked' });
    expect(await left).toEqual({ peerId: joined.self.id });

    // The link page and the room both say «revoked».
    const page = await fetch(`${stack.url}/api/links/${clientToken}`);
    expect(page.status).toBe(410);
    expect(await page.json()).toMatchObject({ error: { code: 'link_revoked' } });
    const again = await connectPeer(stack);
    expect(errorCode(await again.request('join', { token: clientToken }))).toBe('link_revoked');

    // Once is enough: a second call changes nothing and keeps the first time.
    const second = await api('POST', path, {});
    expect(second.status).toBe(200);
    expect(second.body['revokedAt']).toBe(res.body['revokedAt']);
    const audits = await prisma.auditEvent.findMany({ where: { action: 'consultation.link_revoked', targetId: joined.self.id } });
    expect(audits).toHaveLength(1);
    expect(audits[0]!.actorId).toBe(head.id);

    // A participant of another consultation is not found through this one.
    const other = await tokenFor(stack, 'revoke-2', 'client');
    const otherId = (await prisma.participant.findFirstOrThrow({ where: { consultationId: roomId('revoke-2') } })).id;
    expect((await api('POST', `/consultations/${roomId('revoke-1')}/participants/${otherId}/revoke-link`, {})).status).toBe(404);
    expect((await fetch(`${stack.url}/api/links/${other}`)).status).toBe(200);

    for (const p of [specialist, client, again]) p.close();
  }, 20_000);
});

describe('a technical failure before the start', () => {
  it('closes the room with that reason, tells the link, keeps clients out, and alerts the heads', async () => {
    const seat = await seatFor(stack, 'failure-1', 'specialist');
    const specialist = await connectSeat(stack, seat);
    ok(await specialist.request('join', seat.join));
    const clientToken = await tokenFor(stack, 'failure-1', 'client');
    const client = await connectPeer(stack);
    ok(await client.request('join', { token: clientToken })); // in the waiting room

    const prisma = stack.signalling.prisma;
    const consultation = await prisma.consultation.findUniqueOrThrow({
      where: { id: roomId('failure-1') },
      include: { institution: true },
    });
    const specialistUser = await prisma.staffUser.create({
      data: {
        email: `spec-${randomBytes(4).toString('hex')}@example.org`,
        displayName: 'Логопед',
        role: 'specialist',
        institutionId: consultation.institutionId,
        departmentId: consultation.institution.departmentId,
        passwordHash: 'set by signedInAs',
      },
    });
    await prisma.consultationSpecialist.create({ data: { consultationId: consultation.id, specialistId: specialistUser.id } });
    const head = await prisma.staffUser.create({
      data: {
        email: `head-${randomBytes(4).toString('hex')}@example.org`,
        displayName: 'Заведующая',
        role: 'head',
        institutionId: consultation.institutionId,
        departmentId: consultation.institution.departmentId,
        passwordHash: 'not used',
      },
    });
    const { api } = await signedInAs(stack, specialistUser.id);

    const closed = client.next('roomClosed');
    const res = await api('POST', `/consultations/${consultation.id}/technical-failure`, {});
    expect(res.status).toBe(200);
    expect(await closed).toEqual({ reason: 'technical_failure' });

    // The client's link page says so at once; its link no longer enters.
    const page = await fetch(`${stack.url}/api/links/${clientToken}`);
    expect(((await page.json()) as { consultation: { status: string } }).consultation.status).toBe('technical_failure');
    const again = await connectPeer(stack);
    expect(errorCode(await again.request('join', { token: clientToken }))).toBe('technical_failure');

    // Recorded as a failed pre-check of this specialist; the heads get their alert; once only.
    const checks = await prisma.precheckResult.findMany({ where: { consultationId: consultation.id } });
    expect(checks.map((c) => [c.specialistId, c.passed])).toEqual([[specialistUser.id, false]]);
    const alerts = await prisma.auditEvent.findMany({ where: { action: 'notification.technical_failure', targetId: head.id } });
    expect(alerts).toHaveLength(1);
    expect((await api('POST', `/consultations/${consultation.id}/technical-failure`, {})).status).toBe(200);
    expect(await prisma.precheckResult.count({ where: { consultationId: consultation.id } })).toBe(1);
    // The dashboard shows the failed pre-check for the room while it is listed (HealthMonitor reads the same row).

    // A body is refused (the record needs no free text), and a live consultation is too late.
    expect((await api('POST', `/consultations/${consultation.id}/technical-failure`, { note: 'x' })).status).toBe(400);
    // Another consultation of the specialist's, live already (a client came in): too late to report.
    await tokenFor(stack, 'failure-live', 'client', { state: 'live' });
    await prisma.consultationSpecialist.create({ data: { consultationId: roomId('failure-live'), specialistId: specialistUser.id } });
    const late = await api('POST', `/consultations/${roomId('failure-live')}/technical-failure`, {});
    expect(late.status).toBe(409);
    expect((await prisma.consultation.findUniqueOrThrow({ where: { id: roomId('failure-live') } })).state).toBe('live');
    for (const p of [specialist, client, again]) p.close();
  }, 20_000);
});
