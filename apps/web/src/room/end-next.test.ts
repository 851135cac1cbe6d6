import { describe, expect, it } from '@jest/globals';
import { telHref, tookPlace } from './end-next.ts';
import { initialState, type EndReason, type Phase } from './room-state.ts';

const state = (phase: Phase, closedReason: EndReason | null = null) => ({ ...initialState, phase, closedReason });

describe("the client's end screen", () => {
  it('says what happens next only after a consultation that took place', () => {
    expect(tookPlace(state('closed', 'ended'))).toBe(true);
    expect(tookPlace(state('closed', 'time_limit'))).toBe(true);
    for (const reason of ['removed', 'link_revoked', 'technical_failure', 'server_shutdown'] as const) {
      expect(tookPlace(state('closed', reason))).toBe(false);
    }
    expect(tookPlace(state('left'))).toBe(false);
    expect(tookPlace(state('failed'))).toBe(false);
  });

  it("dials the institution's number as written by people", () => {
    expect(telHref('+7 (3812) 00-00-00')).toBe('tel:+73812000000');
    expect(telHref('8 (800) 555-35-35')).toBe('tel:88005553535');
    expect(telHref('+7-913-000-00-00')).toBe('tel:+79130000000');
  });
});
