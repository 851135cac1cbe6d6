// Specialists' month schedules and free slots.
// The REST contract's entries (see operation.ts); the server adds the handlers in apps/signalling/src/api/.
import {
  ApproveScheduleBody,
  FreeSlots,
  FreeSlotsQuery,
  MonthSchedule,
  PutScheduleBody,
  ScheduleParams,
  SpecialistParams,
} from '../api/index.ts';
import { byName, defineOperation } from './operation.ts';

const path = '/institutions/:institutionId/specialists/:specialistId/schedules/:month';

export const scheduleOperations = byName([
  defineOperation({
    name: 'schedules.get',
    action: 'schedules.get',
    method: 'get',
    path,
    summary: "A specialist's schedule for a month",
    tag: 'schedules',
    params: ScheduleParams,
    response: MonthSchedule,
    institutionScoped: true,
  }),
  defineOperation({
    name: 'schedules.put',
    action: 'schedules.put',
    method: 'put',
    path,
    summary: "Replace a month's blocks (the schedule goes back to draft)",
    description: 'A corrected schedule offers no time until it is approved again. Booked consultations are not moved.',
    tag: 'schedules',
    params: ScheduleParams,
    body: PutScheduleBody,
    response: MonthSchedule,
    institutionScoped: true,
  }),
  defineOperation({
    name: 'schedules.approve',
    action: 'schedules.approve',
    method: 'post',
    path: `${path}/approve`,
    summary: 'Approve a month (by a head or admin)',
    description: 'The approver is the signed-in head or admin (the permission matrix lets only them call it).',
    tag: 'schedules',
    params: ScheduleParams,
    body: ApproveScheduleBody,
    response: MonthSchedule,
    errors: [422],
    institutionScoped: true,
  }),
  defineOperation({
    name: 'schedules.free_slots',
    action: 'schedules.free_slots',
    method: 'get',
    path: '/institutions/:institutionId/specialists/:specialistId/free-slots',
    summary: 'Where a consultation of a given length can start',
    description:
      "Starts on a 15-minute wall-clock grid inside the specialist's approved schedule and the institution's hours, " +
      'each with a free 30-minute pre-check before it (inside working hours, outside lunch); at most 62 days.',
    tag: 'schedules',
    params: SpecialistParams,
    query: FreeSlotsQuery,
    response: FreeSlots,
    institutionScoped: true,
  }),
]);
