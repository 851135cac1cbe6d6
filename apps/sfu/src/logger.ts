import { pino, type Logger } from 'pino';

// Logs carry ids (room, peer, transport), never names, tokens or other personal data.
export function createLogger(name: string, level: string): Logger {
  return pino({ name, level, base: { pid: process.pid } });
}
export type { Logger };
