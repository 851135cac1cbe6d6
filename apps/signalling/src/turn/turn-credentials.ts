// Short-lived TURN credentials by the "TURN REST API" convention that coturn implements with
// `use-auth-secret` + `static-auth-secret`: the username is `<expiry unix seconds>:<id>`, the
// password is base64(HMAC-SHA1(secret, username)). coturn recomputes the password from the
// secret and refuses a username whose expiry has passed, so signalling and coturn share only
// the secret, no user database, and a leaked credential dies on its own.
import { createHmac, randomBytes } from 'node:crypto';

export type TurnConfig = {
  /** coturn's `static-auth-secret`. */
  secret: string;
  /** e.g. turn:turn.example.org:3478?transport=udp, …?transport=tcp, turns:turn.example.org:443?transport=tcp */
  urls: string[];
  /** How long a credential is valid from the moment it is handed out. */
  ttlSeconds: number;
};

/** An RTCIceServer as the browser (and mediasoup-client's transports) take it. */
export type TurnIceServer = { urls: string[]; username: string; credential: string };

/** base64(HMAC-SHA1(secret, username)): coturn's password for a REST API username. */
export function turnCredential(secret: string, username: string): string {
  return createHmac('sha1', secret).update(username).digest('base64');
}

/** `<expiry>:<id>`; the id is random and says nothing about the person (coturn logs usernames). */
export function turnUsername(expiresAtSeconds: number, id: string = randomBytes(12).toString('base64url')): string {
  if (id.includes(':')) throw new Error('a TURN username id must not contain ":"');
  return `${Math.floor(expiresAtSeconds)}:${id}`;
}

/** The ICE servers for one join; none when TURN is off. */
export function turnIceServers(turn: TurnConfig | null, now: Date): TurnIceServer[] {
  if (!turn || turn.urls.length === 0) return [];
  const username = turnUsername(now.getTime() / 1000 + turn.ttlSeconds);
  return [{ urls: [...turn.urls], username, credential: turnCredential(turn.secret, username) }];
}
