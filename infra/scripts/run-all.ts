// Runs every process of a single-machine installation, prefixes their logs, and stops
// them together (Ctrl+C, or when one of them exits).
import { spawn, type ChildProcess } from 'node:child_process';
import { createConnection } from 'node:net';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { prettyFactory } from 'pino-pretty';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const env = { ...process.env };
env.SFU_RPC_PORT ??= '4443';
env.SFU_URL ??= `ws://127.0.0.1:${env.SFU_RPC_PORT}`;
env.SFU_RPC_HOST ??= '127.0.0.1';
// A newcomer's `./pnpm start` shows the demo; production (`--production`) never does (config.ts).
if (env.DISTPRIEM_MODE !== 'production') env.DEMO ??= '1';

const children: ChildProcess[] = [];
let stopping = false;

function run(name: string, script: string): ChildProcess {
  const child = spawn(process.execPath, [script], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  for (const stream of [child.stdout!, child.stderr!]) {
    createInterface({ input: stream }).on('line', (line) => console.log(format(name, line)));
  }
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`[${name}] exited (${signal ?? code}); stopping everything`);
      stop(1);
    }
  });
  children.push(child);
  return child;
}

const pretty = prettyFactory({ colorize: process.stdout.isTTY, ignore: 'pid,hostname', translateTime: 'HH:MM:ss', singleLine: true });

/** pino's JSON lines, made readable for a person watching the terminal. */
function format(name: string, line: string): string {
  if (!line.startsWith('{')) return line.startsWith('  ') || line === '' ? line : `[${name}] ${line}`;
  return pretty(line).trimEnd();
}

function stop(code: number): void {
  if (stopping) return;
  stopping = true;
  for (const c of children) c.kill('SIGTERM');
  setTimeout(() => process.exit(code), 1500).unref();
}

async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const ok = await new Promise<boolean>((res) => {
      const s = createConnection({ host: '127.0.0.1', port }, () => (s.end(), res(true)));
      s.on('error', () => res(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nothing listens on port ${port} after ${timeoutMs} ms`);
}

process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

run('sfu', 'apps/sfu/src/main.ts');
await waitForPort(Number(env.SFU_RPC_PORT), 20_000);
run('signalling', 'apps/signalling/src/main.ts');
