import type { RoomState } from './room-state.ts';

// The client's end screen (EndScreen.tsx), as plain functions.

/** After a consultation that took place (ended, or closed at its limit): what happens next. */
export function tookPlace(state: RoomState): boolean {
  return state.phase === 'closed' && (state.closedReason === 'ended' || state.closedReason === 'time_limit');
}

/** A number as a `tel:` link dials it: digits and a leading plus only. */
export function telHref(phone: string): string {
  return `tel:${phone.replace(/(?!^\+)[^\d]/g, '')}`;
}
