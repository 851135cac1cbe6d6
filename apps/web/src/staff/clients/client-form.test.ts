import { describe, expect, it } from '@jest/globals';
import { CreateClientBody, UpdateClientBody, type Client } from '@dp/protocol';
import {
  checkClient,
  clientValues,
  consentInstant,
  createBody,
  emptyClientValues,
  formField,
  localDay,
  updateBody,
} from './client-form.ts';

const NOW = new Date(2026, 2, 2, 10, 30);
const TODAY = localDay(NOW);

const anna: Client = {
  id: '019a0000-0000-7000-8000-000000000001',
  institutionId: '019a0000-0000-7000-8000-000000000002',
  representativeName: 'Петрова Анна',
  childName: 'Петров Илья',
  childAge: 9,
  phone: '+7 900 123-45-67',
  email: null,
  messenger: null,
  socialStatus: null,
  archivedAt: null,
  address: 'с. Седельниково',
  ippsu: false,
  ipsr: false,
  consentMethod: 'oral_phone',
  consentAt: new Date(2026, 2, 1, 9, 0).toISOString(),
  consentRecordedBy: { id: '019a0000-0000-7000-8000-000000000003', displayName: 'Иванова Мария' },
  note: null,
  createdAt: NOW.toISOString(),
  updatedAt: NOW.toISOString(),
};

describe('the client form', () => {
  it('refuses to save without the consent, a contact or a valid age and e-mail', () => {
    const empty = emptyClientValues(TODAY);
    expect(checkClient(empty, TODAY)).toEqual({
      representativeName: 'required',
      phone: 'contactRequired',
      consentMethod: 'consentRequired',
    });
    const bad = {
      ...empty,
      representativeName: 'Петрова',
      childAge: 121,
      email: 'not-mail',
      consentMethod: 'written' as const,
      consentDate: '2026-03-03',
    };
    expect(checkClient(bad, TODAY)).toEqual({ childAge: 'age', email: 'email', consentDate: 'future' });
    expect(checkClient({ ...bad, childAge: 9, email: 'a@b.ru', consentDate: TODAY }, TODAY)).toEqual({});
  });

  it('a new client: what the server accepts, the consent now when it is today, else the start of that day', () => {
    const v = {
      ...emptyClientValues(TODAY),
      representativeName: ' Петрова Анна ',
      messenger: '@anna',
      childAge: 7,
      consentMethod: 'written' as const,
    };
    const body = createBody(v, NOW);
    expect(CreateClientBody.safeParse(body).success).toBe(true);
    expect(body).toMatchObject({ representativeName: 'Петрова Анна', messenger: '@anna', childAge: 7, consentAt: NOW.toISOString() });
    expect(body.phone).toBeUndefined();
    expect(consentInstant('2026-03-01', NOW)).toBe(new Date(2026, 2, 1).toISOString());
  });

  it('an edit sends only what changed; cleared fields become null; the consent again only when it changed', () => {
    const before = clientValues(anna);
    expect(updateBody(before, before, NOW)).toBeNull();
    const body = updateBody({ ...before, address: '', childAge: '', email: 'anna@example.org', ipsr: true }, before, NOW)!;
    expect(body).toEqual({ address: null, childAge: null, email: 'anna@example.org', ipsr: true });
    expect(UpdateClientBody.safeParse(body).success).toBe(true);
    const reconsent = updateBody({ ...before, consentMethod: 'written' }, before, NOW)!;
    expect(reconsent).toEqual({ consentMethod: 'written', consentAt: new Date(2026, 2, 1).toISOString() });
  });

  it("maps the server's field names onto the form's", () => {
    expect(formField('consentAt')).toBe('consentDate');
    expect(formField('phone')).toBe('phone');
    expect(formField('institutionId')).toBeNull();
  });
});
