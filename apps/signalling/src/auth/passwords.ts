// Passwords: argon2id through @node-rs/argon2 (its binary ships inside the npm package).
// Parameters are RFC 9106's second recommended option — 64 MiB, 3 passes, 1 lane — which
// takes ~0.1 s here; stated in the README's security section. The PHC string stores them,
// so raising them later re-hashes on the next sign-in (needsRehash).
import { hash, verify } from '@node-rs/argon2';

/** `algorithm: 2` is Argon2id (the binding's const enum cannot be imported under verbatimModuleSyntax). */
export const ARGON2_PARAMS = { algorithm: 2, memoryCost: 65536, timeCost: 3, parallelism: 1 } as const;
const PHC_PREFIX = `$argon2id$v=19$m=${ARGON2_PARAMS.memoryCost},t=${ARGON2_PARAMS.timeCost},p=${ARGON2_PARAMS.parallelism}$`;

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_PARAMS);
}

/**
 * argon2 verifications of this process: how many were started, how many run now and the most
 * at once. Read by the lock-out tests (a real count of evaluated passwords, not a timing).
 */
export const passwordChecks = { started: 0, running: 0, peak: 0 };

async function counted(storedHash: string, password: string): Promise<boolean> {
  passwordChecks.started++;
  passwordChecks.running++;
  passwordChecks.peak = Math.max(passwordChecks.peak, passwordChecks.running);
  try {
    return await verify(storedHash, password);
  } finally {
    passwordChecks.running--;
  }
}

/** Made once: checked against when the e-mail is unknown, so both answers take as long. */
let dummy: Promise<string> | undefined;

/** True when `password` matches; with no hash (unknown e-mail, no password yet) it still spends the same time and answers false. */
export async function checkPassword(storedHash: string | null, password: string): Promise<boolean> {
  if (storedHash === null) {
    dummy ??= hashPassword('not a password of anybody');
    await counted(await dummy, password).catch(() => false);
    return false;
  }
  try {
    return await counted(storedHash, password);
  } catch {
    return false; // a malformed hash never signs anybody in
  }
}

export function needsRehash(storedHash: string): boolean {
  return !storedHash.startsWith(PHC_PREFIX);
}
