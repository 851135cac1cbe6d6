import { pino } from 'pino';
import { loadSignallingConfig } from './config.ts';
import { randomId } from './links/link-token.ts';
import { startSignalling } from './server.ts';

const config = loadSignallingConfig();
const log = pino({ name: 'signalling', level: config.logLevel });
const server = await startSignalling(config, log);

if (config.demo) {
  // A ready consultation for a newcomer: one link for the specialist, one for the client.
  const consultationId = `demo-${randomId(6)}`;
  const expiresAt = new Date(Date.now() + 24 * 3600_000);
  const base = config.publicUrl ?? `http://localhost:${server.port}`;
  const link = (role: 'specialist' | 'client') =>
    `${base}/join/${server.links.sign({ consultationId, participantId: `${role}-${randomId(6)}`, role, expiresAt })}`;
  const lines = [
    '',
    '  «Дистанционная приёмная» is running.',
    '',
    `  Specialist's link:  ${link('specialist')}`,
    `  Client's link:      ${link('client')}`,
    '',
    '  Open each link in its own browser window (or on two devices) to start the demo consultation.',
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
