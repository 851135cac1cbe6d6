// The no-show rule, decided in fire-decision.ts alone (the room and the timetable only carry
// it out): after T+15 with the room open and no client, the consultation is a no-show; a
// client who came turns it live and the check does nothing; a room opened late gets its own
// 15 minutes; a consultation that is over, cancelled or failed is left alone.
import { describe, expect, it } from '@jest/globals';
import { decideOnFire, type ConsultationSnapshot } from './index.ts';

const T = new Date('2026-12-01T05:00:00.000Z');
const min = (m: number) => new Date(T.getTime() + m * 60_000);
const snap = (state: ConsultationSnapshot['state'], extra: Partial<ConsultationSnapshot> = {}): ConsultationSnapshot => ({
  state,
  start: T,
  precheckPassed: true,
  ...extra,
});

describe('the no-show rule (no_show_check)', () => {
  it('marks an open room with no client a no-show at T+15, not a moment before', () => {
    expect(decideOnFire('no_show_check', snap('open'), min(15))).toEqual({ action: 'mark_no_show' });
    expect(decideOnFire('no_show_check', snap('open'), min(40))).toEqual({ action: 'mark_no_show' });
    expect(decideOnFire('no_show_check', snap('open'), min(14.99))).toEqual({ action: 'wait', until: min(15) });
  });

  it('gives a room opened late its own 15 minutes', () => {
    expect(decideOnFire('no_show_check', snap('open', { openedAt: min(10) }), min(15))).toEqual({ action: 'wait', until: min(25) });
    expect(decideOnFire('no_show_check', snap('open', { openedAt: min(10) }), min(25))).toEqual({ action: 'mark_no_show' });
    // An opening time before T counts from T.
    expect(decideOnFire('no_show_check', snap('open', { openedAt: min(-5) }), min(15))).toEqual({ action: 'mark_no_show' });
  });

  it('does nothing once a client came (live), and looks again later while the room is not open yet', () => {
    expect(decideOnFire('no_show_check', snap('live'), min(20))).toEqual({ action: 'skip', reason: 'already_done' });
    expect(decideOnFire('no_show_check', snap('precheck'), min(15))).toEqual({ action: 'wait', until: min(30) });
    expect(decideOnFire('no_show_check', snap('planned'), min(20))).toEqual({ action: 'wait', until: min(35) });
  });

  it.each(['no_show', 'ended', 'cancelled', 'failed'] as const)('leaves a %s consultation alone', (state) => {
    expect(decideOnFire('no_show_check', snap(state), min(20))).toEqual({ action: 'skip', reason: 'finished' });
  });

  it('closes at the limit instead, whatever the state of the room', () => {
    expect(decideOnFire('no_show_check', snap('open'), min(60))).toEqual({ action: 'close_room', reason: 'hard_limit' });
    expect(decideOnFire('no_show_check', snap('live'), min(75))).toEqual({ action: 'close_room', reason: 'hard_limit' });
  });
});
