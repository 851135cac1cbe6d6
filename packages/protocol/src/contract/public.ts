// The two operations a page calls without signing in: what a client's link is for, and the
// SFU's capabilities for the mediasoup Device. Both are limited (budgets.ts) or cached on the server.
import { ClientAnswerBody, ClientAnswerReceived } from '../api/client-answers.ts';
import { LinkInfo, LinkTokenParams, MediaCapabilities } from '../rest.ts';
import { z } from 'zod';
import { byName, defineOperation } from './operation.ts';

export const publicOperations = byName([
  defineOperation({
    name: 'links.describe',
    action: 'links.describe',
    method: 'get',
    path: '/links/:token',
    summary: 'What a join link is for and when (the link page asks first): with whom, where and what about; nothing of any client',
    description:
      'Answers the consultation the link admits to, its role and times, and whether the room is upcoming, open, over, ' +
      'cancelled or interrupted by a technical failure. `invalid_token` (404) for a forged or malformed link, ' +
      '`link_expired` and `link_revoked` (410), `rate_limited` (429, Retry-After) when the link or the address asked too often. ' +
      'Never cached (Cache-Control: no-store).',
    tag: 'links',
    params: LinkTokenParams,
    response: LinkInfo,
    errors: [404, 410, 429],
    institutionScoped: false,
  }),
  defineOperation({
    name: 'links.answer',
    action: 'links.answer',
    method: 'post',
    path: '/links/:token/answer',
    summary: "The client's «Не смогу прийти / нужно другое время» from the link page",
    description:
      'Stored with the consultation (staff see it on its page, in the lists and on the day board) and audited. Only for ' +
      'a consultation still ahead (409 `conflict` once it is over or cancelled). Limited like links.describe.',
    tag: 'links',
    params: LinkTokenParams,
    body: ClientAnswerBody,
    response: ClientAnswerReceived,
    status: 201,
    errors: [404, 409, 410, 429],
    institutionScoped: false,
  }),
  defineOperation({
    name: 'links.calendar',
    action: 'links.calendar',
    method: 'get',
    path: '/links/:token/calendar.ics',
    summary: "The consultation as an iCalendar file (text/calendar) for the phone's calendar",
    description: 'The time, the institution and the link itself. Limited like links.describe.',
    tag: 'links',
    params: LinkTokenParams,
    response: z.string().meta({ description: 'text/calendar (RFC 5545)' }),
    produces: 'text/calendar',
    errors: [404, 410, 429],
    institutionScoped: false,
  }),
  defineOperation({
    name: 'media.capabilities',
    action: 'media.capabilities',
    method: 'get',
    path: '/media/capabilities',
    summary: "The media server's RTP capabilities, to load the mediasoup Device before joining",
    description: '`sfu_unavailable` (503) while the media server is not connected.',
    tag: 'media',
    response: MediaCapabilities,
    errors: [503],
    institutionScoped: false,
  }),
]);
