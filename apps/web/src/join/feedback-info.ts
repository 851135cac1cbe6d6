import type { FeedbackBody, FeedbackForm } from '@dp/protocol';
import { linkPath } from '@dp/protocol/link-page';

// The feedback page's two calls (feedback.get, feedback.save), kept free of the protocol's zod
// schemas like the link page's (link-info.ts): the page a family opens from the e-mail stays small.

export type FeedbackLookup =
  | { kind: 'ok'; form: FeedbackForm }
  | { kind: 'invalid' }
  | { kind: 'revoked' }
  | { kind: 'expired' }
  | { kind: 'rate_limited' }
  | { kind: 'unreachable' };

async function linkFailure(res: Response): Promise<Exclude<FeedbackLookup, { kind: 'ok' }> | null> {
  if (res.status === 404) return { kind: 'invalid' };
  if (res.status === 429) return { kind: 'rate_limited' };
  if (res.status === 410) {
    const body = (await res.json().catch(() => null)) as { error?: { code?: string } } | null;
    return { kind: body?.error?.code === 'link_revoked' ? 'revoked' : 'expired' };
  }
  return null;
}

export async function lookUpFeedback(token: string): Promise<FeedbackLookup> {
  try {
    const res = await fetch(`/api${linkPath('feedback.get', token)}`, { signal: AbortSignal.timeout(15_000) });
    const failed = await linkFailure(res);
    if (failed) return failed;
    if (!res.ok) return { kind: 'unreachable' };
    const form = (await res.json()) as FeedbackForm;
    return form?.status ? { kind: 'ok', form } : { kind: 'unreachable' };
  } catch {
    return { kind: 'unreachable' };
  }
}

export type FeedbackSent =
  | { kind: 'ok'; form: FeedbackForm }
  /** 400: the fields the server refused (criterion names, impressions, wishes). */
  | { kind: 'fields'; fields: string[] }
  /** 409: the 7 days are over, or the consultation has not ended. */
  | { kind: 'closed' }
  | Exclude<FeedbackLookup, { kind: 'ok' }>;

export async function sendFeedback(token: string, body: FeedbackBody): Promise<FeedbackSent> {
  try {
    const res = await fetch(`/api${linkPath('feedback.save', token)}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
    if (res.status === 400) {
      const err = (await res.json().catch(() => null)) as { error?: { details?: Record<string, unknown> } } | null;
      return { kind: 'fields', fields: Object.keys(err?.error?.details ?? {}) };
    }
    if (res.status === 409) return { kind: 'closed' };
    const failed = await linkFailure(res);
    if (failed) return failed;
    if (!res.ok) return { kind: 'unreachable' };
    return { kind: 'ok', form: (await res.json()) as FeedbackForm };
  } catch {
    return { kind: 'unreachable' };
  }
}
