import { describe, expect, it } from '@jest/globals';
import type { StaffMember } from '@dp/protocol';
import { bookingHref, presetFrom } from './booking-preset.ts';

const member = (id: string, profession: 'psychologist' | 'lawyer' | null): StaffMember =>
  ({
    id,
    displayName: id,
    active: true,
    role: 'specialist',
    specialist: profession ? { profession, title: '' } : null,
  }) as StaffMember;

const PSY = '0190a1b2-0000-7000-8000-000000000001';
const LAW = '0190a1b2-0000-7000-8000-000000000002';
const staff = [member(PSY, 'psychologist'), member(LAW, 'lawyer')];
const search = (href: string) => new URL(href, 'http://x').searchParams;

describe('a booking opened from a route sheet line', () => {
  it('carries the line’s profession, specialist and form, and the booking starts with them chosen', () => {
    const href = bookingHref('req-1', { profession: 'lawyer', form: 'phone', specialist: { id: LAW } });
    expect(href.startsWith('/requests/req-1/book?')).toBe(true);
    expect(presetFrom(search(href), staff)).toEqual({ profession: 'lawyer', specialistId: LAW, form: 'phone' });
  });

  it('follows the specialist’s own profession when the line names another', () => {
    const href = bookingHref('r', { profession: 'lawyer', form: 'online', specialist: { id: PSY } });
    expect(presetFrom(search(href), staff)).toEqual({ profession: 'psychologist', specialistId: PSY, form: 'online' });
  });

  it('ignores what it does not know: a specialist who is gone, a profession nobody practises, a made-up form', () => {
    const gone = bookingHref('r', { profession: 'lawyer', form: 'email', specialist: { id: '0190a1b2-0000-7000-8000-00000000dead' } });
    expect(presetFrom(search(gone), staff)).toEqual({ profession: 'lawyer', specialistId: null, form: 'email' });
    expect(presetFrom(new URLSearchParams('profession=speech_therapist&form=fax'), staff)).toEqual({
      profession: null,
      specialistId: null,
      form: null,
    });
    expect(presetFrom(new URLSearchParams(''), staff)).toEqual({ profession: null, specialistId: null, form: null });
  });
});
