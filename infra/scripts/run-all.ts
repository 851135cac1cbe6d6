// Runs every process of a single-machine installation, prefixes their logs, and stops
// them together (Ctrl+C, or when one of them exits). The processes run in their own process
// group, so a Ctrl+C in the terminal reaches only this script, which stops each with SIGTERM
// (their orderly shutdown), waits for them and exits: 0 after Ctrl+C, 1 when one of them died.
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
/** Children whose process ended and whose output was read to the end. */
const closed = new Set<ChildProcess>();
let stopping = false;

function run(name: string, script: string): ChildProcess {
  const child = spawn(process.execPath, [script], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  for (const stream of [child.stdout!, child.stderr!]) {
    createInterface({ input: stream }).on('line', (line) => console.log(format(name, line)));
  }
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`[${name}] exited (${signal ?? code}); stopping everything`);
      stop(1);
    }
  });
  child.on('close', () => closed.add(child));
  children.push(child);
  return child;
}

const pretty = prettyFactory({ colorize: process.stdout.isTTY, ignore: 'pid,hostname', translateTime: 'HH:MM:ss', singleLine: true });

/** pino's JSON lines, made readable for a person watching the terminal. */
function format(name: string, line: string): string {
  if (!line.startsWith('{')) return line.startsWith('  ') || line === '' ? line : `[${name}] ${line}`;
  return pretty(line).trimEnd();
}

const running = (c: ChildProcess) => c.exitCode === null && c.signalCode === null;

function stop(code: number): void {
  if (stopping) return;
  stopping = true;
  for (const c of children) if (running(c)) c.kill('SIGTERM');
  const done = () => {
    if (children.every((c) => closed.has(c))) process.exit(code);
  };
  for (const c of children) c.once('close', () => setImmediate(done));
  done();
  // Whoever has not stopped within 10 s is killed.
  setTimeout(() => {
    for (const c of children) if (running(c)) c.kill('SIGKILL');
    setTimeout(() => process.exit(code), 200).unref();
  }, 10_000).unref();
}

// Never leave a server behind when this script ends some other way.
process.on('exit', () => {
  for (const c of children) if (running(c)) c.kill('SIGKILL');
});

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
