import { describe, expect, it } from '@jest/globals';
import { noteServerNow, serverNow, serverOffsetMs } from './server-time.ts';

describe('the server time the pages count by', () => {
  it('follows the server, half a round trip later, whatever this device says', () => {
    const sentAt = Date.now();
    // The server is 40 minutes ahead (a phone set wrong, or the harness moved the clock).
    noteServerNow(new Date(sentAt + 40 * 60_000 + 100).toISOString(), sentAt, sentAt + 200);
    expect(serverOffsetMs()).toBe(40 * 60_000);
    expect(Math.abs(serverNow() - (Date.now() + 40 * 60_000))).toBeLessThan(50);
  });

  it('keeps what it knew when an answer has no usable time', () => {
    const sentAt = Date.now();
    noteServerNow(new Date(sentAt - 5_000).toISOString(), sentAt, sentAt);
    noteServerNow(undefined, sentAt);
    noteServerNow('not a time', sentAt);
    expect(serverOffsetMs()).toBe(-5_000);
  });
});
