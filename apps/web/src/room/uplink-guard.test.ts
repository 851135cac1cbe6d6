import { describe, expect, it } from '@jest/globals';
import type { types as ms } from 'mediasoup-client';
import { RoomStore } from './state-store.ts';
import { CLEAR_ABOVE_BPS, PAUSE_BELOW_BPS, UplinkGuard } from './uplink-guard.ts';

/** A camera producer as far as the guard uses it: what it was last told about its encodings. */
function camera() {
  const calls: boolean[] = [];
  const producer = {
    closed: false,
    paused: false,
    setRtpEncodingParameters: async (p: { active?: boolean }) => void calls.push(p.active ?? true),
  };
  return { producer: producer as unknown as ms.Producer, calls, raw: producer };
}

describe('audio first on our own uplink', () => {
  it('pauses the camera after two weak reports, says so, retries after 20 s and clears the notice when the link is good', () => {
    const store = new RoomStore();
    const cam = camera();
    const guard = new UplinkGuard(store, () => cam.producer);
    guard.observe(PAUSE_BELOW_BPS - 1, 0);
    expect(cam.calls).toEqual([]); // one dip is not a weak link
    guard.observe(PAUSE_BELOW_BPS - 1, 4_000);
    expect(cam.calls).toEqual([false]);
    expect(store.state.local.uplinkWeak).toBe(true);
    guard.observe(30_000, 8_000);
    expect(cam.calls).toEqual([false]); // paused: waits for the retry
    guard.observe(30_000, 24_000);
    expect(cam.calls).toEqual([false, true]); // the retry sends again
    guard.observe(CLEAR_ABOVE_BPS + 1, 28_000);
    expect(store.state.local.uplinkWeak).toBe(false);
    expect(cam.calls).toEqual([false, true]);
  });

  it('never touches a camera the person switched off, and gives the camera back when it goes', () => {
    const store = new RoomStore();
    const cam = camera();
    const guard = new UplinkGuard(store, () => cam.producer);
    guard.observe(10_000, 0);
    guard.observe(10_000, 4_000);
    expect(cam.calls).toEqual([false]);
    cam.raw.paused = true;
    guard.observe(10_000, 8_000);
    expect(cam.calls).toEqual([false, true]);
    expect(store.state.local.uplinkWeak).toBe(false);
    guard.observe(10_000, 12_000);
    guard.observe(10_000, 16_000);
    expect(cam.calls).toEqual([false, true]);
  });
});
