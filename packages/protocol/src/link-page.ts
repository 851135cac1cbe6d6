// The link page's first call as plain data — method and path, no zod — so that the first
// screen a family opens (apps/web/src/main.tsx, often on a slow mobile line) carries none of
// the schemas. Imported as '@dp/protocol/link-page'. The type holds it to the REST contract
// (contract/public.ts): a method or path that drifts from the contract's entry does not
// compile, and link-page.test.ts compares them at run time as well.
import type { Contract } from './contract/index.ts';

export const linkPageOperations = {
  'links.describe': { name: 'links.describe', method: 'get', path: '/links/:token' },
  'links.answer': { name: 'links.answer', method: 'post', path: '/links/:token/answer' },
  'links.calendar': { name: 'links.calendar', method: 'get', path: '/links/:token/calendar.ics' },
  'feedback.get': { name: 'feedback.get', method: 'get', path: '/links/:token/feedback' },
  'feedback.save': { name: 'feedback.save', method: 'put', path: '/links/:token/feedback' },
} as const satisfies { [K in LinkPageOperation]: Pick<Contract[K], 'name' | 'method' | 'path'> };
type LinkPageOperation = 'links.describe' | 'links.answer' | 'links.calendar' | 'feedback.get' | 'feedback.save';

/** The address of one of the link page's operations below /api (the token URI-encoded, as `pathOf` does). */
export function linkPath(name: LinkPageOperation, token: string): string {
  return linkPageOperations[name].path.replace(':token', encodeURIComponent(token));
}

/** The address of a link's description below /api. */
export function linkDescribePath(token: string): string {
  return linkPath('links.describe', token);
}

// The feedback form's limits (zod-free, for the family's page).
export * from './feedback-limits.ts';
