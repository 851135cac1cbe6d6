import { describe, expect, it } from '@jest/globals';
import { contract, pathOf } from './contract/index.ts';
import { linkDescribePath, linkPageOperations, linkPath } from './link-page.ts';

describe('the link page’s zod-free copy of its operation', () => {
  it('names the same method and path as the contract', () => {
    for (const [name, op] of Object.entries(linkPageOperations)) {
      const entry = contract[name as keyof typeof linkPageOperations];
      expect({ name: op.name, method: op.method, path: op.path }).toEqual({ name: entry.name, method: entry.method, path: entry.path });
    }
  });

  it('builds the address the contract builds, the token encoded', () => {
    for (const token of ['abc.DEF-123_x', 'a/b?c#d', 'пример']) {
      expect(linkDescribePath(token)).toBe(pathOf(contract['links.describe'], { token }));
      expect(linkPath('links.answer', token)).toBe(pathOf(contract['links.answer'], { token }));
      expect(linkPath('links.calendar', token)).toBe(pathOf(contract['links.calendar'], { token }));
      expect(linkPath('feedback.save', token)).toBe(pathOf(contract['feedback.save'], { token }));
    }
  });
});
