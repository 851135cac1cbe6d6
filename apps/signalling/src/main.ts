import { pino } from 'pino';
import { loadSignallingConfig } from './config.ts';
import { demoConsultation, demoGroupRooms } from './demo/demo-consultation.ts';
import { issueFirstAdmin } from './auth/bootstrap-admin.ts';
import { demoId } from '@dp/db';
import type { RoomRole } from '@dp/protocol';
import type { DemoRoom } from './demo/demo-consultation.ts';
import { startSignalling } from './server.ts';

const config = loadSignallingConfig();
const log = pino({ name: 'signalling', level: config.logLevel });
const server = await startSignalling(config, log);

if (config.demo) {
  // A ready consultation for a newcomer: one link for the specialist, one for the client.
  const demo = await demoConsultation(server.prisma);
  const groups = await demoGroupRooms(server.prisma, demo.consultationId);
  for (const id of [demo.consultationId, ...groups.map((g) => g.consultationId)]) await server.timetable.changed(id);
  const expiresAt = new Date(Date.now() + 24 * 3600_000);
  const base = config.publicUrl ?? `http://localhost:${server.port}`;
  const joinUrl = (consultationId: string, role: RoomRole, participantId: string) =>
    `${base}/join/${server.links.sign({ consultationId, participantId, role, expiresAt })}`;
  const link = (role: 'specialist' | 'client', participantId: string) => joinUrl(demo.consultationId, role, participantId);
  const [webinar, dyad] = groups;
  const groupLines = (title: string, room: DemoRoom) => [
    `  ${title}`,
    ...room.participants.map((p) => `    ${p.label.padEnd(12)} ${joinUrl(room.consultationId, p.role, p.id)}`),
  ];
  // The demo department's admin: a one-time link to set the password, printed while no
  // password is set (each start issues a fresh one; the earlier link stops working).
  const admin = await issueFirstAdmin(
    server.prisma,
    { email: 'admin@example.org', displayName: 'Администратор (демо)', departmentId: demoId('department') },
    base,
  );
  const lines = [
    '',
    '  «Дистанционная приёмная» is running.',
    '',
    `  Specialist's link:  ${link('specialist', demo.specialistParticipantId)}`,
    `  Client's link:      ${link('client', demo.clientParticipantId)}`,
    '',
    '  Open each link in its own browser window (or on two devices) to start the demo consultation.',
    '  The client waits until the specialist lets them in.',
    '',
    ...groupLines('Group webinar (the host first, then the attendees):', webinar!),
    ...groupLines('Dyad (the curator first, then the two clients):', dyad!),
    '',
    ...(admin.url
      ? [
          `  Admin (admin@example.org), set the password once here (valid 72 h):`,
          `    ${admin.url}`,
          '  then sign in at ' + `${base}/sign-in and set up an authenticator app (required for admins).`,
        ]
      : [`  Staff sign in at ${base}/sign-in (admin@example.org already has a password).`]),
    `  Staff REST API: ${base}/api, described at ${base}/api/openapi.json`,
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log.info({ signal }, 'signalling stopping');
    void server.close().finally(() => process.exit(0));
  });
}
