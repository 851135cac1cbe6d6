import { describe, expect, it } from '@jest/globals';
import {
  clientRoleIn,
  hasPower,
  initialFloor,
  mayModerate,
  mayProduce,
  mayShowName,
  namesHidden,
  roomKinds,
  roomRoles,
  rolesOfKind,
  sees,
  seesName,
  staffRoleIn,
  waitsForAdmission,
} from './room-policy.ts';

describe('room policy', () => {
  it('gives every kind the roles of DOMAIN.md, and consultations create only those', () => {
    expect(rolesOfKind).toEqual({
      one_to_one: ['specialist', 'client'],
      webinar: ['host', 'cohost', 'attendee'],
      dyad: ['client', 'curator'],
    });
    for (const kind of roomKinds) {
      expect(rolesOfKind[kind]).toContain(clientRoleIn(kind));
      expect(rolesOfKind[kind]).toContain(staffRoleIn(kind, 0));
      expect(rolesOfKind[kind]).toContain(staffRoleIn(kind, 3));
    }
    expect([staffRoleIn('webinar', 0), staffRoleIn('webinar', 1)]).toEqual(['host', 'cohost']);
  });

  it('makes clients of one-to-ones and dyads wait; webinar attendees and staff come straight in', () => {
    expect(waitsForAdmission('one_to_one', 'client')).toBe(true);
    expect(waitsForAdmission('dyad', 'client')).toBe(true);
    expect(waitsForAdmission('webinar', 'attendee')).toBe(false);
    expect(waitsForAdmission('one_to_one', 'specialist')).toBe(false);
  });

  it('lets attendees and curators send only with the floor; screens only from hosts and specialists', () => {
    expect(initialFloor('attendee')).toBe('none');
    expect(initialFloor('curator')).toBe('none');
    // «Групповая консультация»: every attendee may speak at once; a curator still observes.
    expect(initialFloor('attendee', true)).toBe('full');
    expect(initialFloor('curator', true)).toBe('none');
    expect(mayProduce('attendee', 'none', 'mic')).toBe(false);
    expect(mayProduce('attendee', 'mic', 'mic')).toBe(true);
    expect(mayProduce('attendee', 'mic', 'camera')).toBe(false);
    expect(mayProduce('attendee', 'full', 'camera')).toBe(true);
    expect(mayProduce('attendee', 'full', 'screen')).toBe(false);
    expect(mayProduce('client', 'full', 'screen')).toBe(false);
    expect(mayProduce('host', 'full', 'screen')).toBe(true);
    expect(mayProduce('specialist', 'full', 'screen')).toBe(true);
  });

  it('hides attendees from each other unless they have the floor; never hides a curator', () => {
    expect(sees('webinar', 'attendee', { role: 'attendee', floor: 'none' })).toBe(false);
    expect(sees('webinar', 'attendee', { role: 'attendee', floor: 'mic' })).toBe(true);
    expect(sees('webinar', 'host', { role: 'attendee', floor: 'none' })).toBe(true);
    expect(sees('dyad', 'client', { role: 'curator', floor: 'none' })).toBe(true);
  });

  it('withholds names only between webinar attendees; a speaker is named only when the host chose so', () => {
    expect(namesHidden('webinar', 'attendee', 'attendee')).toBe(true);
    expect(namesHidden('webinar', 'host', 'attendee')).toBe(false);
    expect(namesHidden('webinar', 'cohost', 'attendee')).toBe(false);
    expect(namesHidden('webinar', 'attendee', 'host')).toBe(false);
    expect(namesHidden('dyad', 'client', 'client')).toBe(false);
    expect(namesHidden('one_to_one', 'specialist', 'client')).toBe(false);
    const attendee = { role: 'attendee', floor: 'none', nameShown: false } as const;
    expect(seesName('webinar', 'attendee', attendee)).toBe(false);
    expect(seesName('webinar', 'attendee', { ...attendee, floor: 'mic' })).toBe(false);
    expect(seesName('webinar', 'attendee', { ...attendee, floor: 'mic', nameShown: true })).toBe(true);
    // The floor taken back, the name goes with it.
    expect(seesName('webinar', 'attendee', { ...attendee, nameShown: true })).toBe(false);
    expect(seesName('webinar', 'host', attendee)).toBe(true);
    expect(mayShowName('webinar', 'host', 'attendee')).toBe(true);
    expect(mayShowName('webinar', 'cohost', 'attendee')).toBe(true);
    expect(mayShowName('webinar', 'attendee', 'attendee')).toBe(false);
    expect(mayShowName('webinar', 'host', 'cohost')).toBe(false);
    expect(mayShowName('dyad', 'curator', 'client')).toBe(false);
  });

  it('lets a cohost moderate attendees but not the host; only attendees are removed or given the floor', () => {
    expect(mayModerate('cohost', 'host', 'mute')).toBe(false);
    expect(mayModerate('host', 'cohost', 'mute')).toBe(true);
    expect(mayModerate('host', 'cohost', 'remove')).toBe(false);
    expect(mayModerate('cohost', 'attendee', 'floor')).toBe(true);
    expect(mayModerate('attendee', 'attendee', 'mute')).toBe(false);
    expect(mayModerate('curator', 'client', 'mute')).toBe(false);
    expect(hasPower('curator', 'step_in')).toBe(true);
    expect(hasPower('specialist', 'admit')).toBe(true);
  });

  it('lets the specialist, the host and the curator end the consultation for everyone; nobody else', () => {
    const enders = roomRoles.filter((role) => hasPower(role, 'end'));
    expect(enders).toEqual(['specialist', 'host', 'curator']);
    // Every kind of room has someone who can end it.
    for (const kind of roomKinds) expect(rolesOfKind[kind].some((role) => hasPower(role, 'end'))).toBe(true);
  });
});
