// The server's time, as the pages know it: answers the pages fetch anyway (the link page's
// `links.describe`, the room's `join`, the staff session) carry `serverNow`, and the countdowns
// and room timers count by this device's clock corrected by the difference. A phone whose
// clock is wrong still opens the room on time, and the test harness's clock (which the
// server may have moved ahead) is the one the pages follow.

let offsetMs = 0;

/**
 * Notes the server's `serverNow` from an answer asked at `sentAt` and received at `receivedAt`
 * (both this device's `Date.now()`); half the round trip is taken as the way back.
 */
export function noteServerNow(serverNow: string | undefined, sentAt: number, receivedAt: number = Date.now()): void {
  if (!serverNow) return;
  const server = Date.parse(serverNow);
  if (Number.isNaN(server) || receivedAt < sentAt) return;
  offsetMs = Math.round(server + (receivedAt - sentAt) / 2 - receivedAt);
}

/** The server's time now (milliseconds since the epoch), by the last answer that carried it. */
export function serverNow(): number {
  return Date.now() + offsetMs;
}

/** How far this device's clock is behind the server's (negative: ahead). */
export function serverOffsetMs(): number {
  return offsetMs;
}
