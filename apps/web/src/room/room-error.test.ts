import { describe, expect, it } from '@jest/globals';
import { errorCodes } from '@dp/protocol';
import { readFileSync } from 'node:fs';
import { errorMessageKey, isRetryable, isTransient, type LocalErrorCode } from './room-error.ts';

// Read as files: the test transform would drop JSON import attributes.
const locale = (lng: string): unknown => JSON.parse(readFileSync(new URL(`../locales/${lng}.json`, import.meta.url), 'utf8'));
const ru = locale('ru');
const en = locale('en');

const localCodes: LocalErrorCode[] = ['timeout', 'network', 'disconnected', 'media', 'unsupported_browser'];

function lookup(dict: unknown, key: string): unknown {
  return key
    .split('.')
    .reduce<unknown>((node, part) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined), dict);
}

describe('error messages', () => {
  it.each([...errorCodes, ...localCodes])('%s has a sentence in both languages', (code) => {
    const key = errorMessageKey(code);
    expect(typeof lookup(ru, key)).toBe('string');
    expect(typeof lookup(en, key)).toBe('string');
  });

  it('says the invalid-link sentence the product agreed on', () => {
    expect(lookup(ru, 'errors.invalid_token')).toBe('Ссылка недействительна или устарела. Свяжитесь с учреждением.');
  });

  it('offers no retry for a bad link, and retries transient failures quietly', () => {
    expect(isRetryable('invalid_token')).toBe(false);
    expect(isRetryable('sfu_unavailable')).toBe(true);
    expect(isTransient('sfu_unavailable')).toBe(true);
    expect(isTransient('network')).toBe(true);
    expect(isTransient('invalid_token')).toBe(false);
    expect(isTransient('room_closed')).toBe(false);
  });
});

describe('locale files', () => {
  const keys = (o: unknown, prefix = ''): string[] =>
    o && typeof o === 'object' ? Object.entries(o).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k)) : [prefix];
  it('have the same keys', () => {
    expect(keys(en).sort()).toEqual(keys(ru).sort());
  });
});
