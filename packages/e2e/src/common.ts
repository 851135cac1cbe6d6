import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestStaff } from './staff.ts';

// What both the product's stack (`stack.ts`) and the browser helpers (`browser.ts`) need:
// kept here so that neither imports the other back (stack.ts launches the browser).

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** A member of staff with a lead role in a consultation: a real account, signed in by `signIn`. */
export interface StaffSeat extends TestStaff {
  participantId: string;
  consultationId: string;
  /** The staff room route of the consultation (`/staff/room/:id`, with the query given). */
  roomUrl: string;
}
