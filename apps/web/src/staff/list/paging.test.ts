import { describe, expect, it } from '@jest/globals';
import { pageCount, shownRange } from './useServerList.ts';

describe('a server-paged list', () => {
  it('has one page when empty and a last, shorter page', () => {
    expect(pageCount({ page: 1, pageSize: 50, total: 0 })).toBe(1);
    expect(pageCount({ page: 1, pageSize: 50, total: 50 })).toBe(1);
    expect(pageCount({ page: 1, pageSize: 50, total: 51 })).toBe(2);
    expect(pageCount({ page: 3, pageSize: 50, total: 120 })).toBe(3);
  });

  it('counts the shown rows across the whole list', () => {
    expect(shownRange({ page: 1, pageSize: 50, total: 120 }, 50)).toEqual({ from: 1, to: 50, total: 120 });
    expect(shownRange({ page: 3, pageSize: 50, total: 120 }, 20)).toEqual({ from: 101, to: 120, total: 120 });
  });
});
