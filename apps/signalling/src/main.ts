import { pino } from 'pino';
import { loadSignallingConfig } from './config.ts';
import { demoConsultation, demoGroupRooms, demoSpecialistSignIn } from './demo/demo-consultation.ts';
import { issueFirstAdmin } from './auth/bootstrap-admin.ts';
import { demoId } from '@dp/db';
import { isLead, type RoomRole } from '@dp/protocol';
import type { DemoRoom } from './demo/demo-consultation.ts';
import { startSignalling } from './server.ts';

let config: ReturnType<typeof loadSignallingConfig>;
try {
  config = loadSignallingConfig();
} catch (e) {
  // A bad configuration (or DP_TEST_CLOCK=1 in production) stops the start with its message only.
  process.stderr.write(`${(e as Error).message}\n`);
  process.exit(1);
}
const log = pino({ name: 'signalling', level: config.logLevel });
const server = await startSignalling(config, log);
// Start-up says which mode it is in. Production (`./pnpm start --production`, the systemd
// unit) never seeds demo data and never prints a link or a one-time password link.
log.info(
  { mode: config.mode, demoData: config.demo },
  config.mode === 'production'
    ? 'production mode: no demo data, no links printed'
    : `demo mode: ${config.demo ? 'demo data and its links below' : 'no demo data (DEMO=0)'}`,
);
if (config.demoIgnored) log.warn('DEMO=1 is ignored in production mode');

if (config.demo) {
  // A ready consultation for a newcomer: the client's link, and the demo specialist's one-time
  // sign-in link (staff never enter a room by link: they sign in and open it from their page).
  const demo = await demoConsultation(server.prisma);
  const groups = await demoGroupRooms(server.prisma, demo.consultationId);
  for (const id of [demo.consultationId, ...groups.map((g) => g.consultationId)]) await server.timetable.changed(id);
  const expiresAt = new Date(Date.now() + 24 * 3600_000);
  const base = config.publicUrl ?? `http://localhost:${server.port}`;
  const joinUrl = (consultationId: string, role: RoomRole, participantId: string, generation: number) =>
    `${base}/join/${server.links.sign({ consultationId, participantId, role, generation, expiresAt })}`;
  const client = await server.prisma.participant.findUniqueOrThrow({
    where: { id: demo.clientParticipantId },
    select: { linkGeneration: true },
  });
  const [webinar, dyad] = groups;
  const groupLines = (title: string, room: DemoRoom) => [
    `  ${title}`,
    ...room.participants
      .filter((p) => !isLead(p.role))
      .map((p) => `    ${p.label.padEnd(12)} ${joinUrl(room.consultationId, p.role, p.id, p.linkGeneration)}`),
  ];
  const specialist = await demoSpecialistSignIn(server.prisma, demo.specialistId, base);
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
    ...(specialist.url
      ? [`  Specialist (${specialist.email}), set the password once here (valid 72 h):`, `    ${specialist.url}`]
      : [`  Specialist: sign in at ${base}/sign-in as ${specialist.email}.`]),
    `  Client's link:      ${joinUrl(demo.consultationId, 'client', demo.clientParticipantId, client.linkGeneration)}`,
    '',
    '  The specialist signs in and opens the room from the staff page («Открыть комнату»); the',
    '  client opens the link in another browser window (or on another device) and waits until',
    '  the specialist lets them in.',
    '',
    ...groupLines('Group webinar (the specialist hosts it, signed in; then the attendees):', webinar!),
    ...groupLines('Dyad (the specialist is its curator, signed in; then the two clients):', dyad!),
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
