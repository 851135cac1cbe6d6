// Runs the Prisma CLI (WASM engines, driver adapter: see prisma.config.ts) in a child process.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** packages/db */
export const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));
export const MIGRATIONS_DIR = fileURLToPath(new URL('../prisma/migrations', import.meta.url));

const PRISMA_CLI = createRequire(import.meta.url).resolve('prisma/build/index.js');
const CONFIG = fileURLToPath(new URL('../prisma.config.ts', import.meta.url));
const PRELOAD = fileURLToPath(new URL('./unref-wasm-timers.ts', import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** The database the command works on (DATABASE_URL of the child). */
  databaseUrl?: string;
  /** Killed after this long (default 120 s). */
  timeoutMs?: number;
}

/** `prisma <args…> --config prisma.config.ts`, offline; resolves with the exit code and output. */
export function runPrismaCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    // No version check or telemetry calls: the CLI must work without network.
    CHECKPOINT_DISABLE: '1',
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
    NO_COLOR: '1',
  };
  delete env.FORCE_COLOR;
  if (options.databaseUrl !== undefined) env.DATABASE_URL = options.databaseUrl;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', PRELOAD, PRISMA_CLI, ...args, '--config', CONFIG], {
      cwd: PACKAGE_DIR,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: options.timeoutMs ?? 120_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr }));
  });
}
