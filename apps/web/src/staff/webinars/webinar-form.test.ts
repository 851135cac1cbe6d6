import { describe, expect, it } from '@jest/globals';
import { parsePersonList } from '@dp/protocol';
import { listErrors } from './webinar-form.ts';
import { zonedInstant } from './zoned.ts';

// The pasted list of «Новый вебинар» / «Добавить участников»: the same parser the server runs.

describe('the pasted e-mail list', () => {
  it('takes «Имя <e-mail>», bare addresses and skips blank lines', () => {
    expect(parsePersonList('Иванова Мария <maria@example.org>\n\n  petrov@example.org\r\n«Сидоровы» <SID@example.org>,').people).toEqual([
      { displayName: 'Иванова Мария', email: 'maria@example.org' },
      { email: 'petrov@example.org' },
      { displayName: 'Сидоровы', email: 'sid@example.org' },
    ]);
  });

  it('names every bad line in Russian with its number', () => {
    const t = ((key: string, o?: Record<string, unknown>) => `${key}:${String(o?.line)}`) as never;
    const parsed = parsePersonList('a@example.org\nне адрес\nИмя <a@example.org>\nИмя <>');
    expect(parsed.errors).toEqual([
      { line: 2, problem: 'invalid_email' },
      { line: 3, problem: 'duplicate' },
      { line: 4, problem: 'invalid_email' },
    ]);
    expect(listErrors(t, parsed.errors)).toBe(
      'webinars.emails.invalid_email:2\nwebinars.emails.duplicate:3\nwebinars.emails.invalid_email:4',
    );
  });
});

describe('the institution’s wall clock', () => {
  it('is read in the institution’s zone, not the browser’s', () => {
    expect(zonedInstant('2026-03-10', '11:00', 'Asia/Omsk')).toBe('2026-03-10T05:00:00.000Z');
    expect(zonedInstant('2026-03-10', '11:00', 'Europe/Moscow')).toBe('2026-03-10T08:00:00.000Z');
  });
});
