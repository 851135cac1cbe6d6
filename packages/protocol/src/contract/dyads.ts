// Dyads: a curator's pair of families, their motivation and their consultations' history.
import { CreateDyadBody, Dyad, DyadList, DyadParams, InstitutionParams } from '../api/index.ts';
import { byName, defineOperation } from './operation.ts';

export const dyadOperations = byName([
  defineOperation({
    name: 'dyads.list',
    action: 'dyads.list',
    method: 'get',
    path: '/institutions/:institutionId/dyads',
    summary: "The institution's dyads (a specialist: those they curate), newest first, each with its consultations",
    tag: 'consultations',
    params: InstitutionParams,
    response: DyadList,
    institutionScoped: true,
  }),
  defineOperation({
    name: 'dyads.create',
    action: 'dyads.create',
    method: 'post',
    path: '/institutions/:institutionId/dyads',
    summary: 'Forms a dyad of two registry clients with their motivation levels under a curator',
    tag: 'consultations',
    params: InstitutionParams,
    body: CreateDyadBody,
    response: Dyad,
    status: 201,
    institutionScoped: true,
  }),
  defineOperation({
    name: 'dyads.get',
    action: 'dyads.get',
    method: 'get',
    path: '/institutions/:institutionId/dyads/:dyadId',
    summary: 'One dyad with its consultations (history: start, length, state)',
    tag: 'consultations',
    params: DyadParams,
    response: Dyad,
    institutionScoped: true,
  }),
]);
