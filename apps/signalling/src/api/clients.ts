// The clients' registry: the parent or legal representative (and the child) with the consent
// to the processing of personal data (152-FZ) recorded at intake. Never deleted (archived).
// A specialist reads only the clients of the requests they are responsible for and of their
// consultations. Audit rows name the fields changed, never their values.
import type { Client as ClientRow, Prisma, PrismaClient, TransactionClient } from '@dp/db';
import { CLIENT_CONTACT_MESSAGE, CLIENT_PAGE_SIZE, contract, type Client, type ClientSummary } from '@dp/protocol';
import { audit } from './audit.ts';
import { badRequest, notFound } from './errors.ts';
import { defineRoute, routeTable } from './route.ts';

type Db = PrismaClient | TransactionClient;
type ClientWithRecorder = ClientRow & { consentRecordedBy: { id: string; displayName: string } };

function summaryView(row: ClientRow): ClientSummary {
  return {
    id: row.id,
    institutionId: row.institutionId,
    representativeName: row.representativeName,
    childName: row.childName,
    childAge: row.childAge,
    phone: row.phone,
    email: row.email,
    messenger: row.messenger,
    socialStatus: row.socialStatus,
    archivedAt: row.archivedAt?.toISOString() ?? null,
  };
}

function clientView(row: ClientWithRecorder): Client {
  return {
    ...summaryView(row),
    address: row.address,
    ippsu: row.ippsu,
    ipsr: row.ipsr,
    consentMethod: row.consentMethod,
    consentAt: row.consentAt.toISOString(),
    consentRecordedBy: { id: row.consentRecordedBy.id, displayName: row.consentRecordedBy.displayName },
    note: row.note,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

const withRecorder = { consentRecordedBy: { select: { id: true, displayName: true } } } as const;

/** The `own` scope: clients of the requests `staffId` is responsible for, or of consultations they take part in. */
function ownedBy(staffId: string): Prisma.ClientWhereInput {
  return {
    requests: {
      some: {
        OR: [{ responsibleSpecialistId: staffId }, { consultations: { some: { specialists: { some: { specialistId: staffId } } } } }],
      },
    },
  };
}

/** The search: names, e-mail and messenger as typed (case-insensitive); a phone also by its digits alone. */
async function searchWhere(db: Db, institutionId: string, q: string): Promise<Prisma.ClientWhereInput> {
  const like = { contains: q, mode: 'insensitive' as const };
  const or: Prisma.ClientWhereInput[] = [
    { representativeName: like },
    { childName: like },
    { phone: like },
    { email: like },
    { messenger: like },
  ];
  const digits = q.replace(/\D/g, '');
  if (digits.length >= 3 && /^[\d\s()+-]+$/.test(q)) {
    const pattern = `%${digits}%`;
    const rows = await db.$queryRaw<{ id: string }[]>`
      SELECT id FROM clients
      WHERE institution_id = ${institutionId}::uuid AND regexp_replace(coalesce(phone, ''), '\\D', '', 'g') LIKE ${pattern}
      LIMIT 1000`;
    if (rows.length > 0) or.push({ id: { in: rows.map((r) => r.id) } });
  }
  return { OR: or };
}

/** A consent date in the future is a typing error. */
function checkConsentAt(consentAt: string | undefined, now: Date): void {
  if (consentAt !== undefined && new Date(consentAt).getTime() > now.getTime() + 60_000)
    throw badRequest({ consentAt: 'the consent cannot be dated in the future' });
}

export interface RegistryClientForRequest {
  representativeName: string;
  childName: string | null;
  childAge: number | null;
  phone: string | null;
  email: string | null;
  messenger: string | null;
  address: string | null;
  socialStatus: ClientRow['socialStatus'];
  /** `repeat` when the client has a request received before `receivedAt`. */
  recurrence: 'first' | 'repeat';
}

/**
 * The registry's client for a new request (requests.create), read in its transaction with the
 * client's row locked, so two requests entered at once cannot both count as the first.
 * Another institution's (or an unknown) id is a 404 on `clientId`; an archived client a 400.
 */
export async function clientForRequest(
  tx: TransactionClient,
  institutionId: string,
  clientId: string,
  receivedAt: Date,
): Promise<RegistryClientForRequest> {
  const locked = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM clients WHERE id = ${clientId}::uuid AND institution_id = ${institutionId}::uuid FOR UPDATE`;
  if (locked.length === 0) throw notFound('client', { clientId: 'no such client in this institution' });
  const client = await tx.client.findUniqueOrThrow({ where: { id: clientId } });
  if (client.archivedAt) throw badRequest({ clientId: 'the client is archived: restore the record first' });
  const earlier = await tx.request.count({ where: { clientId, receivedAt: { lte: receivedAt } } });
  return {
    representativeName: client.representativeName,
    childName: client.childName,
    childAge: client.childAge,
    phone: client.phone,
    email: client.email,
    messenger: client.messenger,
    address: client.address,
    socialStatus: client.socialStatus,
    recurrence: earlier > 0 ? 'repeat' : 'first',
  };
}

/** The contact a request keeps from the registry: the one that matches the channel, else the first there is. */
export function contactForChannel(client: Pick<RegistryClientForRequest, 'phone' | 'email' | 'messenger'>, channel: string): string | null {
  const byChannel = channel === 'email' ? client.email : channel === 'messenger' ? client.messenger : client.phone;
  return byChannel ?? client.phone ?? client.email ?? client.messenger ?? null;
}

export const clientRoutes = routeTable([
  defineRoute(contract['clients.list'], {
    institution: ({ params }) => params.institutionId,
    listsOwn: true,
    handler: async ({ query, institution, deps, access }) => {
      const and: Prisma.ClientWhereInput[] = [{ institutionId: institution.id }];
      if (query.archived !== 'true') and.push({ archivedAt: null });
      if (access.ownerId) and.push(ownedBy(access.ownerId));
      if (query.q) and.push(await searchWhere(deps.prisma, institution.id, query.q));
      const where: Prisma.ClientWhereInput = { AND: and };
      const [rows, total] = await Promise.all([
        deps.prisma.client.findMany({
          where,
          orderBy: [{ representativeName: 'asc' }, { id: 'asc' }],
          skip: (query.page - 1) * CLIENT_PAGE_SIZE,
          take: CLIENT_PAGE_SIZE,
        }),
        deps.prisma.client.count({ where }),
      ]);
      return { clients: rows.map(summaryView), total, page: query.page, pageSize: CLIENT_PAGE_SIZE };
    },
  }),

  defineRoute(contract['clients.create'], {
    institution: ({ params }) => params.institutionId,
    handler: async ({ body, institution, deps, actor }) => {
      checkConsentAt(body.consentAt, deps.now());
      // The router lets only signed-in staff this far; the one who noted the consent is the caller.
      if (actor.type !== 'staff' || actor.id === null) throw notFound('record');
      const recorderId = actor.id;
      const row = await deps.prisma.$transaction(async (tx) => {
        const created = await tx.client.create({
          data: {
            institutionId: institution.id,
            representativeName: body.representativeName,
            childName: body.childName ?? null,
            childAge: body.childAge ?? null,
            phone: body.phone ?? null,
            email: body.email ?? null,
            messenger: body.messenger ?? null,
            address: body.address ?? null,
            socialStatus: body.socialStatus ?? null,
            ippsu: body.ippsu,
            ipsr: body.ipsr,
            consentMethod: body.consentMethod,
            consentAt: new Date(body.consentAt),
            consentRecordedById: recorderId,
            note: body.note ?? null,
          },
          include: withRecorder,
        });
        // Field names and the consent's method only: the values are personal data.
        await audit(tx, actor, {
          action: 'client.created',
          targetType: 'client',
          targetId: created.id,
          institutionId: institution.id,
          details: {
            fields: Object.keys(body).filter((k) => body[k as keyof typeof body] !== undefined),
            consentMethod: body.consentMethod,
          },
        });
        return created;
      });
      return clientView(row);
    },
  }),

  defineRoute(contract['clients.get'], {
    institution: ({ params }) => params.institutionId,
    owners: async ({ params, deps }) => {
      const requests = await deps.prisma.request.findMany({
        where: { clientId: params.clientId, client: { institutionId: params.institutionId } },
        select: { responsibleSpecialistId: true, consultations: { select: { specialists: { select: { specialistId: true } } } } },
      });
      const ids = new Set<string>();
      for (const r of requests) {
        if (r.responsibleSpecialistId) ids.add(r.responsibleSpecialistId);
        for (const c of r.consultations) for (const s of c.specialists) ids.add(s.specialistId);
      }
      return [...ids];
    },
    handler: async ({ params, institution, deps }) => {
      const row = await deps.prisma.client.findFirst({
        where: { id: params.clientId, institutionId: institution.id },
        include: withRecorder,
      });
      if (!row) throw notFound('client');
      const [requests, consultations] = await Promise.all([
        deps.prisma.request.findMany({
          where: { clientId: row.id },
          orderBy: [{ receivedAt: 'desc' }, { number: 'desc' }],
          select: { id: true, year: true, number: true, receivedAt: true, channel: true, status: true, reason: true },
        }),
        deps.prisma.consultation.findMany({
          where: { request: { clientId: row.id } },
          orderBy: { start: 'desc' },
          select: {
            id: true,
            requestId: true,
            kind: true,
            start: true,
            durationMinutes: true,
            state: true,
            specialists: { select: { specialist: { select: { id: true, displayName: true } } } },
          },
        }),
      ]);
      return {
        ...clientView(row),
        requests: requests.map((r) => ({ ...r, receivedAt: r.receivedAt.toISOString() })),
        consultations: consultations.map((c) => ({
          id: c.id,
          requestId: c.requestId,
          kind: c.kind,
          start: c.start.toISOString(),
          durationMinutes: c.durationMinutes,
          state: c.state,
          specialists: c.specialists.map((s) => s.specialist),
        })),
      };
    },
  }),

  defineRoute(contract['clients.update'], {
    institution: ({ params }) => params.institutionId,
    handler: async ({ params, body, institution, deps, actor }) => {
      checkConsentAt(body.consentAt, deps.now());
      const row = await deps.prisma.$transaction(async (tx) => {
        const current = await tx.client.findFirst({ where: { id: params.clientId, institutionId: institution.id } });
        if (!current) throw notFound('client');
        const contact = {
          phone: body.phone !== undefined ? body.phone : current.phone,
          email: body.email !== undefined ? body.email : current.email,
          messenger: body.messenger !== undefined ? body.messenger : current.messenger,
        };
        if (contact.phone === null && contact.email === null && contact.messenger === null)
          throw badRequest({ phone: CLIENT_CONTACT_MESSAGE });
        const { archived, consentMethod, consentAt, ...fields } = body;
        const reconsent = consentMethod !== undefined && consentAt !== undefined && actor.id !== null;
        const updated = await tx.client.update({
          where: { id: current.id },
          data: {
            ...Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)),
            ...(reconsent ? { consentMethod, consentAt: new Date(consentAt), consentRecordedById: actor.id! } : {}),
            ...(archived === true && current.archivedAt === null ? { archivedAt: deps.now() } : {}),
            ...(archived === false ? { archivedAt: null } : {}),
          },
          include: withRecorder,
        });
        await audit(tx, actor, {
          action: 'client.updated',
          targetType: 'client',
          targetId: updated.id,
          institutionId: institution.id,
          details: { fields: Object.keys(body).filter((k) => body[k as keyof typeof body] !== undefined) },
        });
        return updated;
      });
      return clientView(row);
    },
  }),
]);
