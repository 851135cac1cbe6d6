// The audit log and live room health.
// The REST contract's entries (see operation.ts); the server adds the handlers in apps/signalling/src/api/.
import { AuditList, AuditListQuery } from '../api/index.ts';
import { HealthSnapshot } from '../health.ts';
import { byName, defineOperation } from './operation.ts';

export const adminOperations = byName([
  defineOperation({
    name: 'audit.list',
    action: 'audit.list',
    method: 'get',
    path: '/audit',
    summary: "The audit log of the admin's department, newest first",
    description:
      '`action` is an exact action or a prefix ending in a dot (`auth.`); page with `before` = the last id of the previous page.',
    tag: 'audit',
    query: AuditListQuery,
    response: AuditList,
    institutionScoped: false,
  }),
  defineOperation({
    name: 'health.rooms',
    action: 'health.rooms',
    method: 'get',
    path: '/health/rooms',
    summary: 'Live room health: SFU nodes and workers, open rooms, participants, alerts',
    description: 'Figures only (roles and short ids, no names of clients). Admins see their department, heads their institution.',
    tag: 'health',
    response: HealthSnapshot,
    institutionScoped: false,
  }),
]);
