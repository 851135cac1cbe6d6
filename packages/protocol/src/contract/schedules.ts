// Specialists' month schedules and free slots.
// The REST contract's entries (see operation.ts); the server adds the handlers in apps/signalling/src/api/.
import {
  ApproveScheduleBody,
  FreeSlots,
  FreeSlotsQuery,
  MonthSchedule,
  PutScheduleBody,
  ScheduleParams,
  ScheduleSuggestion,
  ScheduleSuggestionQuery,
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
    summary: "Replace a month's blocks (a draft at once; an approved month: as a correction for a head to approve)",
    description:
      'An approved month keeps offering its approved blocks: the new blocks wait as its pending correction ' +
      '(replacing an earlier pending one) until a head approves or rejects it.',
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
    name: 'schedules.change_urgently',
    action: 'schedules.change_urgently',
    method: 'put',
    path: `${path}/urgent`,
    summary: 'Change an approved month at once (an urgent same-day change by a head or admin)',
    description:
      'The blocks replace the approved ones without a correction; refused (409, details.consultations) when ' +
      'booked consultations would fall outside them. A pending correction stays pending.',
    tag: 'schedules',
    params: ScheduleParams,
    body: PutScheduleBody,
    response: MonthSchedule,
    errors: [409],
    institutionScoped: true,
  }),
  defineOperation({
    name: 'schedules.approve_correction',
    action: 'schedules.approve_correction',
    method: 'post',
    path: `${path}/correction/approve`,
    summary: "Approve the pending correction: its blocks replace the month's approved ones",
    description:
      'Refused (409, details.consultations) when booked consultations would fall outside the corrected blocks: ' +
      'move or cancel them first.',
    tag: 'schedules',
    params: ScheduleParams,
    body: ApproveScheduleBody,
    response: MonthSchedule,
    errors: [409],
    institutionScoped: true,
  }),
  defineOperation({
    name: 'schedules.reject_correction',
    action: 'schedules.reject_correction',
    method: 'post',
    path: `${path}/correction/reject`,
    summary: 'Reject the pending correction (the approved blocks stay)',
    tag: 'schedules',
    params: ScheduleParams,
    body: ApproveScheduleBody,
    response: MonthSchedule,
    institutionScoped: true,
  }),
  defineOperation({
    name: 'schedules.suggest',
    action: 'schedules.suggest',
    method: 'get',
    path: `${path}/suggestion`,
    summary: 'Blocks to start a month from: last month on the same weekdays, or the working hours',
    description: "Nothing is saved. Days off of the institution's calendar (holidays included) get no blocks.",
    tag: 'schedules',
    params: ScheduleParams,
    query: ScheduleSuggestionQuery,
    response: ScheduleSuggestion,
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
