// DATABASE_URL, or else the private local cluster (infra/scripts/local-postgres.sh), started if needed.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const LOCAL_POSTGRES = fileURLToPath(new URL('../../../infra/scripts/local-postgres.sh', import.meta.url));

export function databaseUrl(): string {
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
  execFileSync('bash', [LOCAL_POSTGRES, 'start'], { stdio: ['ignore', 'ignore', 'inherit'] });
  return execFileSync('bash', [LOCAL_POSTGRES, 'url'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
}
