import { ApiError } from '../api.ts';

/**
 * The fields a 400 (or a 404 naming an id field) names: `{ field: message }`. The server's
 * messages are English; the screen shows its own Russian words on those fields.
 */
export function serverFieldErrors(e: unknown): Record<string, string> | null {
  if (!(e instanceof ApiError) || (e.code !== 'bad_request' && e.code !== 'not_found')) return null;
  const d = e.details;
  if (!d || typeof d !== 'object' || Array.isArray(d)) return null;
  const entries = Object.entries(d).filter((kv): kv is [string, string] => typeof kv[1] === 'string');
  return entries.length > 0 ? Object.fromEntries(entries) : null;
}
