// The request journal.
// The REST contract's entries (see operation.ts); the server adds the handlers in apps/signalling/src/api/.
import {
  CreateRequestBody,
  InstitutionParams,
  JournalRequest,
  ListRequestsQuery,
  RequestList,
  RequestParams,
  UpdateRequestBody,
} from '../api/index.ts';
import { byName, defineOperation } from './operation.ts';

export const requestOperations = byName([
  defineOperation({
    name: 'requests.list',
    action: 'requests.list',
    method: 'get',
    path: '/institutions/:institutionId/requests',
    summary: 'The request journal, by received time',
    tag: 'requests',
    params: InstitutionParams,
    query: ListRequestsQuery,
    response: RequestList,
    institutionScoped: true,
  }),
  defineOperation({
    name: 'requests.create',
    action: 'requests.create',
    method: 'post',
    path: '/institutions/:institutionId/requests',
    summary: 'Register a request (numbered per institution per year; answer deadline by channel)',
    tag: 'requests',
    params: InstitutionParams,
    body: CreateRequestBody,
    response: JournalRequest,
    status: 201,
    institutionScoped: true,
  }),
  defineOperation({
    name: 'requests.update',
    action: 'requests.update',
    method: 'patch',
    path: '/institutions/:institutionId/requests/:requestId',
    summary: 'Change the status, the responsible specialist or the result',
    description: 'Naming a responsible specialist for a `new` request makes it `assigned` unless a status is given.',
    tag: 'requests',
    params: RequestParams,
    body: UpdateRequestBody,
    response: JournalRequest,
    institutionScoped: true,
  }),
  defineOperation({
    name: 'requests.get',
    // Whoever may read the journal may read one of its rows (a specialist: the ones they are responsible for).
    action: 'requests.list',
    method: 'get',
    path: '/institutions/:institutionId/requests/:requestId',
    summary: 'One request of the journal (the booking screen starts from it)',
    tag: 'requests',
    params: RequestParams,
    response: JournalRequest,
    institutionScoped: true,
  }),
]);
