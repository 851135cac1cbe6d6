import type { LinkInfo } from '@dp/protocol';
import { linkDescribePath, linkPath } from '@dp/protocol/link-page';
import { noteServerNow } from '../app/server-time.ts';

export type LinkLookup =
  | { kind: 'ok'; info: LinkInfo }
  /** Unknown or forged. */
  | { kind: 'invalid' }
  /** Genuine, but staff revoked it (or a host removed its holder). */
  | { kind: 'revoked' }
  /** Genuine, but past its validity. */
  | { kind: 'expired' }
  /** Too many look-ups from this link or this address (429): wait a minute. */
  | { kind: 'rate_limited' }
  | { kind: 'unreachable' };

/**
 * Asks the server what a link is for and when: the contract's `links.describe`. Kept free of
 * the protocol's zod schemas (its zod-free copy of the address, and a type import) so that
 * the first screen stays small on a slow link; the answer is checked by its shape only.
 */
export async function lookUpLink(token: string): Promise<LinkLookup> {
  try {
    const sentAt = Date.now();
    const res = await fetch(`/api${linkDescribePath(token)}`, { signal: AbortSignal.timeout(15_000) });
    if (res.status === 404) return { kind: 'invalid' };
    if (res.status === 429) return { kind: 'rate_limited' };
    if (res.status === 410) {
      const body = (await res.json().catch(() => null)) as { error?: { code?: string } } | null;
      return { kind: body?.error?.code === 'link_revoked' ? 'revoked' : 'expired' };
    }
    if (!res.ok) return { kind: 'unreachable' };
    const info = (await res.json()) as LinkInfo;
    noteServerNow(info?.serverNow, sentAt);
    return info?.consultation?.status ? { kind: 'ok', info } : { kind: 'unreachable' };
  } catch {
    return { kind: 'unreachable' };
  }
}

/** "2 ч 05 мин 09 с"-style parts of a positive duration, for the countdown. */
export function countdownParts(ms: number): { h: number; m: number; s: number } {
  const total = Math.max(0, Math.ceil(ms / 1000));
  return { h: Math.floor(total / 3600), m: Math.floor((total % 3600) / 60), s: total % 60 };
}

type Answer = NonNullable<LinkInfo['consultation']['answer']>;

/** «Не смогу прийти / нужно другое время» (links.answer); the server says when it got it. */
export async function sendAnswer(token: string, kind: Answer['kind'], note: string): Promise<Answer | 'rate_limited' | 'failed'> {
  try {
    const res = await fetch(`/api${linkPath('links.answer', token)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(note.trim() ? { kind, note: note.trim() } : { kind }),
      signal: AbortSignal.timeout(15_000),
    });
    if (res.status === 429) return 'rate_limited';
    if (!res.ok) return 'failed';
    return (await res.json()) as Answer;
  } catch {
    return 'failed';
  }
}

/** The consultation as an .ics file for the phone's calendar (links.calendar), a plain download. */
export function calendarHref(token: string): string {
  return `/api${linkPath('links.calendar', token)}`;
}
