// The protocol of a consultation (протокол онлайн-консультирования) for staff: saved as it
// is filled (in the room and after), marked final («Протокол оформлен»), then changed only by
// a new final version naming the fields it changed; the files given with it, their type
// checked by content. Who may: the matrix (head of the institution, the consultation's own
// specialists). Every change is an audit event naming the record — never its text.
import type { PrismaClient, TransactionClient } from '@dp/db';
import { contract, PROTOCOL_FILE_MAX_BYTES, PROTOCOL_FILES_TOTAL_MAX_BYTES, type FieldErrors, type ProtocolContent } from '@dp/protocol';
import { institutionOfConsultation, staffOfConsultation } from '../consultations/consultation-records.ts';
import { attachment } from '../export/table-export.ts';
import { allowedFileType, sha256Hex } from '../protocol/protocol-files.ts';
import {
  changedFields,
  fileSelect,
  loadProtocol,
  materialsOf,
  versionSelect,
  versionView,
  type VersionRow,
} from '../protocol/protocol-store.ts';
import { audit } from './audit.ts';
import { badRequest, HttpError, notFound } from './errors.ts';
import { defineRoute, routeTable } from './route.ts';

type Deps = { deps: { prisma: PrismaClient } };
type ByConsultation = { params: { consultationId: string } } & Deps;

const consultationRoute = {
  institution: ({ params, deps }: ByConsultation) => institutionOfConsultation(deps, params.consultationId),
  owners: ({ params, deps }: ByConsultation) => staffOfConsultation(deps, params.consultationId),
} as const;

/** A stale version: someone saved meanwhile (409 with the current version, the message in Russian). */
function staleProtocol(currentVersion: number): HttpError {
  return new HttpError(409, 'conflict', 'Протокол уже изменили: обновите страницу и внесите правку снова', { currentVersion });
}

async function latestVersion(db: TransactionClient, consultationId: string) {
  // One writer per consultation at a time: the version check and the write below are one step.
  await db.$queryRaw`SELECT 1 FROM consultations WHERE id = ${consultationId}::uuid FOR UPDATE`;
  return db.protocolVersion.findFirst({ where: { consultationId }, orderBy: { version: 'desc' }, select: versionSelect });
}

const contentData = (c: ProtocolContent) => ({
  reason: c.reason || null,
  topic: c.topic,
  solution: c.solution || null,
  materials: c.materials,
});

export const protocolRoutes = routeTable([
  defineRoute(contract['protocol.get'], {
    ...consultationRoute,
    handler: async ({ params, deps }) => loadProtocol(deps.prisma, params.consultationId),
  }),

  defineRoute(contract['protocol.version'], {
    ...consultationRoute,
    handler: async ({ params, deps }) => {
      const row = await deps.prisma.protocolVersion.findUnique({
        where: { consultationId_version: { consultationId: params.consultationId, version: params.version } },
        select: versionSelect,
      });
      if (!row) throw notFound('protocol version');
      return versionView(row as VersionRow);
    },
  }),

  defineRoute(contract['protocol.save'], {
    ...consultationRoute,
    handler: async ({ params, body, institution, deps, actor }) => {
      const consultationId = params.consultationId;
      const authorId = actor.id!;
      const content = contentData(body);
      return deps.prisma.$transaction(async (tx) => {
        const latest = (await latestVersion(tx, consultationId)) as VersionRow | null;
        const current = latest?.version ?? 0;
        if (body.version !== current) throw staleProtocol(current);
        let version = current;
        let changed: string[] = [];
        if (!latest) {
          version = 1;
          await tx.protocolVersion.create({ data: { consultationId, version, authorId, ...content } });
        } else if (!latest.final) {
          await tx.protocolVersion.update({
            where: { consultationId_version: { consultationId, version } },
            data: { authorId, ...content },
          });
        } else {
          changed = changedFields({ ...latest, materials: materialsOf(latest.materials) }, { ...content });
          // Nothing changed: no new version.
          if (changed.length === 0) return loadProtocol(tx, consultationId);
          version = current + 1;
          await tx.protocolVersion.create({
            data: { consultationId, version, final: true, changedFields: changed, authorId, ...content },
          });
        }
        // The reports read the topic from the consultation (a protocol without one leaves the booked one).
        if (content.topic) await tx.consultation.update({ where: { id: consultationId }, data: { topic: content.topic } });
        await audit(tx, actor, {
          action: latest?.final ? 'protocol.new_version' : 'protocol.saved',
          targetType: 'consultation',
          targetId: consultationId,
          institutionId: institution.id,
          details: { version, fields: changed },
        });
        return loadProtocol(tx, consultationId);
      });
    },
  }),

  defineRoute(contract['protocol.finalize'], {
    ...consultationRoute,
    handler: async ({ params, body, institution, deps, actor }) => {
      const consultationId = params.consultationId;
      return deps.prisma.$transaction(async (tx) => {
        const latest = (await latestVersion(tx, consultationId)) as VersionRow | null;
        const current = latest?.version ?? 0;
        if (!latest || body.version !== current) throw staleProtocol(current);
        if (latest.final) throw new HttpError(409, 'conflict', 'Протокол уже оформлен', { currentVersion: current });
        const missing: FieldErrors = {};
        if (!latest.reason) missing.reason = 'required to finalize';
        if (!latest.topic) missing.topic = 'required to finalize';
        if (!latest.solution) missing.solution = 'required to finalize';
        if (Object.keys(missing).length > 0) throw badRequest(missing);
        await tx.protocolVersion.update({
          where: { consultationId_version: { consultationId, version: current } },
          data: { final: true },
        });
        await audit(tx, actor, {
          action: 'protocol.finalized',
          targetType: 'consultation',
          targetId: consultationId,
          institutionId: institution.id,
          details: { version: current },
        });
        return loadProtocol(tx, consultationId);
      });
    },
  }),

  defineRoute(contract['protocol.file_upload'], {
    ...consultationRoute,
    handler: async ({ params, query, body, institution, deps, actor }) => {
      const consultationId = params.consultationId;
      if (body.length === 0) throw badRequest({ file: 'the file is empty' });
      if (body.length > PROTOCOL_FILE_MAX_BYTES)
        throw new HttpError(413, 'payload_too_large', 'Файл больше 10 МБ', { file: 'Файл больше 10 МБ' });
      const mime = await allowedFileType(body, query.name);
      if (!mime)
        throw new HttpError(415, 'unsupported_file_type', 'Такой тип файла не принимается', {
          file: 'Такой тип файла не принимается',
        });
      const sha256 = sha256Hex(body);
      const row = await deps.prisma.$transaction(async (tx) => {
        await tx.$queryRaw`SELECT 1 FROM consultations WHERE id = ${consultationId}::uuid FOR UPDATE`;
        const used = await tx.protocolFile.aggregate({ where: { consultationId }, _sum: { sizeBytes: true } });
        if ((used._sum.sizeBytes ?? 0) + body.length > PROTOCOL_FILES_TOTAL_MAX_BYTES)
          throw new HttpError(413, 'payload_too_large', 'Все файлы консультации вместе — не больше 50 МБ', {
            file: 'Все файлы консультации вместе — не больше 50 МБ',
          });
        const created = await tx.protocolFile.create({
          data: {
            consultationId,
            name: query.name,
            mime,
            sizeBytes: body.length,
            sha256,
            data: new Uint8Array(body),
            uploadedById: actor.id!,
          },
          select: fileSelect,
        });
        await audit(tx, actor, {
          action: 'protocol.file_added',
          targetType: 'protocol_file',
          targetId: created.id,
          institutionId: institution.id,
          details: { consultationId, sizeBytes: body.length },
        });
        return created;
      });
      return {
        id: row.id,
        name: row.name,
        mime: row.mime,
        sizeBytes: row.sizeBytes,
        sha256: row.sha256,
        uploadedByName: row.uploadedBy.displayName,
        createdAt: row.createdAt.toISOString(),
      };
    },
  }),

  defineRoute(contract['protocol.file_download'], {
    ...consultationRoute,
    handler: async ({ params, deps, http }) => {
      const file = await deps.prisma.protocolFile.findFirst({
        where: { id: params.fileId, consultationId: params.consultationId },
        select: { name: true, mime: true, data: true },
      });
      if (!file) throw notFound('file');
      http.setHeader('Content-Type', file.mime);
      http.setHeader('Content-Disposition', attachment(file.name));
      http.setHeader('X-Content-Type-Options', 'nosniff');
      http.setHeader('Cache-Control', 'private, no-store');
      return file.data;
    },
  }),

  defineRoute(contract['protocol.file_delete'], {
    ...consultationRoute,
    handler: async ({ params, institution, deps, actor }) => {
      const { consultationId, fileId } = params;
      await deps.prisma.$transaction(async (tx) => {
        const latest = (await latestVersion(tx, consultationId)) as VersionRow | null;
        if (latest?.final)
          throw new HttpError(409, 'conflict', 'Протокол оформлен: его файлы больше не удаляются', { currentVersion: latest.version });
        const gone = await tx.protocolFile.deleteMany({ where: { id: fileId, consultationId } });
        if (gone.count === 0) throw notFound('file');
        await audit(tx, actor, {
          action: 'protocol.file_removed',
          targetType: 'protocol_file',
          targetId: fileId,
          institutionId: institution.id,
          details: { consultationId },
        });
      });
      return { id: fileId, deleted: true as const };
    },
  }),
]);
