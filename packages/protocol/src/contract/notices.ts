// The bell (a member of staff's own in-app notices) and the day board.
// The REST contract's entries (see operation.ts); the server adds the handlers in apps/signalling/src/api/.
import { DayBoard, DayBoardQuery, InstitutionParams, MarkNoticesReadBody, NoticeList, NoticesRead } from '../api/index.ts';
import { byName, defineOperation } from './operation.ts';

export const noticeOperations = byName([
  defineOperation({
    name: 'notices.list',
    action: 'notices.list',
    method: 'get',
    path: '/notices',
    summary: "The signed-in user's notices, newest first, with the unread count",
    tag: 'account',
    response: NoticeList,
    institutionScoped: false,
  }),
  defineOperation({
    name: 'notices.read',
    action: 'notices.read',
    method: 'post',
    path: '/notices/read',
    summary: 'Mark some or all of my notices read',
    tag: 'account',
    body: MarkNoticesReadBody,
    response: NoticesRead,
    institutionScoped: false,
  }),
  defineOperation({
    name: 'day.board',
    action: 'day.board',
    method: 'get',
    path: '/institutions/:institutionId/day',
    summary: "A day's consultations across specialists (pre-check, room, alerts) and the families to phone",
    description: 'A specialist sees their own consultations only. `toCall`: clients whom an e-mail about the day did not reach.',
    tag: 'consultations',
    params: InstitutionParams,
    query: DayBoardQuery,
    response: DayBoard,
    institutionScoped: true,
  }),
]);
