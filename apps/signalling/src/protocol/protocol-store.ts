// Reading a protocol for the API: its versions (newest first) and its files (without their
// bytes), shaped as @dp/protocol's Protocol.
import type { PrismaClient, TransactionClient } from '@dp/db';
import { ProtocolContent, type Protocol, type ProtocolField, type ProtocolLink, type ProtocolVersionView } from '@dp/protocol';

type Db = PrismaClient | TransactionClient;

export const versionSelect = {
  version: true,
  final: true,
  reason: true,
  topic: true,
  solution: true,
  materials: true,
  changedFields: true,
  createdAt: true,
  updatedAt: true,
  author: { select: { displayName: true } },
} as const;

/** A file as the protocol lists it (never its bytes). */
export const fileSelect = {
  id: true,
  name: true,
  mime: true,
  sizeBytes: true,
  sha256: true,
  createdAt: true,
  uploadedBy: { select: { displayName: true } },
} as const;

export type VersionRow = {
  version: number;
  final: boolean;
  reason: string | null;
  topic: ProtocolVersionView['topic'];
  solution: string | null;
  materials: unknown;
  changedFields: string[];
  createdAt: Date;
  updatedAt: Date;
  author: { displayName: string };
};

/** The links as stored (JSON), read back through the schema; anything malformed is dropped. */
export function materialsOf(json: unknown): ProtocolLink[] {
  const r = ProtocolContent.shape.materials.safeParse(json);
  return r.success ? r.data : [];
}

export function versionView(row: VersionRow): ProtocolVersionView {
  return {
    version: row.version,
    final: row.final,
    reason: row.reason,
    topic: row.topic,
    solution: row.solution,
    materials: materialsOf(row.materials),
    changedFields: row.changedFields as ProtocolField[],
    authorName: row.author.displayName,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export async function loadProtocol(db: Db, consultationId: string): Promise<Protocol> {
  const [consultation, versions, files] = await Promise.all([
    db.consultation.findUniqueOrThrow({ where: { id: consultationId }, select: { topic: true } }),
    db.protocolVersion.findMany({ where: { consultationId }, select: versionSelect, orderBy: { version: 'desc' } }),
    db.protocolFile.findMany({
      where: { consultationId },
      select: fileSelect,
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    }),
  ]);
  const [latest, ...earlier] = versions as VersionRow[];
  return {
    consultationId,
    latest: latest ? versionView(latest) : null,
    earlier: earlier.map((v) => ({
      version: v.version,
      final: v.final,
      authorName: v.author.displayName,
      changedFields: v.changedFields as ProtocolField[],
      updatedAt: v.updatedAt.toISOString(),
    })),
    files: files.map((f) => ({
      id: f.id,
      name: f.name,
      mime: f.mime,
      sizeBytes: f.sizeBytes,
      sha256: f.sha256,
      uploadedByName: f.uploadedBy.displayName,
      createdAt: f.createdAt.toISOString(),
    })),
    filesTotalBytes: files.reduce((sum, f) => sum + f.sizeBytes, 0),
    consultationTopic: consultation.topic,
  };
}

/** The names of the fields whose content differs between two versions. */
export function changedFields(before: Omit<ProtocolContent, never>, after: ProtocolContent): ProtocolField[] {
  const out: ProtocolField[] = [];
  if ((before.reason ?? '') !== (after.reason ?? '')) out.push('reason');
  if (before.topic !== after.topic) out.push('topic');
  if ((before.solution ?? '') !== (after.solution ?? '')) out.push('solution');
  if (JSON.stringify(before.materials) !== JSON.stringify(after.materials)) out.push('materials');
  return out;
}
