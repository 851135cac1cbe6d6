// The REST contract: complete against the permission matrix, every entry well formed, and
// pathOf builds the addresses the web calls.
import { describe, expect, test } from '@jest/globals';
import { permissions } from '../permissions.ts';
import { checkOperations, contract, operations, pathOf, type Operation } from './index.ts';

describe('the REST contract', () => {
  test('every entry is well formed, keyed by its own name, and names and endpoints are unique', () => {
    expect(() => checkOperations(operations)).not.toThrow();
    for (const [key, op] of Object.entries(contract)) expect([key, op.name]).toEqual([key, key]);
    expect(operations.length).toBe(Object.keys(contract).length);
  });

  test("every REST row of the permission matrix is an operation's action, and every action is a row", () => {
    const rest = Object.keys(permissions).filter((a) => !a.startsWith('room.'));
    expect([...new Set(operations.map((o) => o.action))].sort()).toEqual(rest.sort());
  });

  test('the link page and the Device are in the contract, public', () => {
    expect(contract['links.describe']).toMatchObject({ method: 'get', path: '/links/:token', institutionScoped: false });
    expect(contract['media.capabilities']).toMatchObject({ method: 'get', path: '/media/capabilities', institutionScoped: false });
    expect(permissions['links.describe']).toEqual({ anyone: 'public' });
  });

  test('checkOperations refuses a duplicate endpoint, undeclared path parameters and an action outside the matrix', () => {
    const one = contract['consultations.get'] as Operation;
    expect(() => checkOperations([one, { ...one, name: 'consultations.again' }])).toThrow(/declared twice/);
    expect(() => checkOperations([{ ...one, path: '/consultations/:consultationId/:other' }])).toThrow(
      /params schema must declare exactly/,
    );
    expect(() => checkOperations([{ ...one, action: 'nobody.knows' as Operation['action'] }])).toThrow(/no entry in the permission matrix/);
  });

  test('pathOf fills and encodes the path parameters, and refuses a missing one', () => {
    expect(pathOf(contract['consultations.reschedule'], { consultationId: 'a/b c' })).toBe('/consultations/a%2Fb%20c/reschedule');
    expect(pathOf(contract['institutions.list'])).toBe('/institutions');
    expect(() => pathOf(contract['consultations.get'], {})).toThrow(/consultationId is missing/);
  });
});
