import { pino } from 'pino';
import { loadSignallingConfig } from './config.ts';
import { demoConsultation } from './demo/demo-consultation.ts';
import { issueFirstAdmin } from './auth/bootstrap-admin.ts';
import { demoId } from '@dp/db';
import { startSignalling } from './server.ts';

const config = loadSignallingConfig();
const log = pino({ name: 'signalling', level: config.logLevel });
const server = await startSignalling(config, log);

if (config.demo) {
  // A ready consultation for a newcomer: one link for the specialist, one for the client.
  const demo = await demoConsultation(server.prisma);
  await server.timetable.changed(demo.consultationId);
  const expiresAt = new Date(Date.now() + 24 * 3600_000);
  const base = config.publicUrl ?? `http://localhost:${server.port}`;
  const link = (role: 'specialist' | 'client', participantId: string) =>
    `${base}/join/${server.links.sign({ consultationId: demo.consultationId, participantId, role, expiresAt })}`;
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
