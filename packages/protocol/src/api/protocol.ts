import { z } from 'zod';
import { Instant, Uuid, plainText } from './common.ts';
import { ConsultationTopic } from './consultations.ts';

// The protocol of a consultation (протокол онлайн-консультирования): the reason, the topic
// from the seven categories, the solution and recommendations, the materials given (links and
// files). While its latest version is not final it is edited in place; once «Протокол
// оформлен», every change is a new final version naming the fields it changed, and the
// earlier versions stay readable.

export const PROTOCOL_TEXT_MAX = 10_000;
export const PROTOCOL_LINKS_MAX = 20;
/** One file at most (bytes). */
export const PROTOCOL_FILE_MAX_BYTES = 10 * 1024 * 1024;
/** All the files of one consultation together (bytes). */
export const PROTOCOL_FILES_TOTAL_MAX_BYTES = 50 * 1024 * 1024;
export const PROTOCOL_FILE_NAME_MAX = 200;

/** The fields a version may change (the names a later version lists in `changedFields`). */
export const protocolFields = ['reason', 'topic', 'solution', 'materials'] as const;
export const ProtocolField = z.enum(protocolFields);
export type ProtocolField = z.infer<typeof ProtocolField>;

const httpUrl = z
  .url({ protocol: /^https?$/, message: 'a link starting with http:// or https://' })
  .max(2000)
  .meta({ description: 'http or https only' });

export const ProtocolLink = z.object({
  title: plainText(300),
  url: httpUrl,
});
export type ProtocolLink = z.infer<typeof ProtocolLink>;

/** The fillable part of a protocol ('' or null leaves a text empty). */
export const ProtocolContent = z.object({
  reason: plainText(PROTOCOL_TEXT_MAX).nullable(),
  topic: ConsultationTopic.nullable(),
  solution: plainText(PROTOCOL_TEXT_MAX).nullable(),
  materials: z.array(ProtocolLink).max(PROTOCOL_LINKS_MAX),
});
export type ProtocolContent = z.infer<typeof ProtocolContent>;

/** PUT …/protocol: the content and the version it edits (0 when there is none yet). */
export const SaveProtocolBody = ProtocolContent.extend({
  version: z.number().int().min(0).max(1_000_000),
}).strict();
export type SaveProtocolBody = z.infer<typeof SaveProtocolBody>;

/** POST …/protocol/finalize: the version the caller saw (must be the latest, not final). */
export const FinalizeProtocolBody = z.object({ version: z.number().int().min(1).max(1_000_000) }).strict();
export type FinalizeProtocolBody = z.infer<typeof FinalizeProtocolBody>;

export const ProtocolVersionView = ProtocolContent.extend({
  version: z.number().int().min(1),
  final: z.boolean(),
  authorName: z.string(),
  changedFields: z.array(ProtocolField),
  createdAt: Instant,
  updatedAt: Instant,
}).meta({ id: 'ProtocolVersion' });
export type ProtocolVersionView = z.infer<typeof ProtocolVersionView>;

export const ProtocolVersionSummary = z.object({
  version: z.number().int().min(1),
  final: z.boolean(),
  authorName: z.string(),
  changedFields: z.array(ProtocolField),
  updatedAt: Instant,
});
export type ProtocolVersionSummary = z.infer<typeof ProtocolVersionSummary>;

export const ProtocolFileView = z.object({
  id: Uuid,
  name: z.string(),
  mime: z.string(),
  sizeBytes: z.number().int().min(0),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  uploadedByName: z.string(),
  createdAt: Instant,
});
export type ProtocolFileView = z.infer<typeof ProtocolFileView>;

/** GET …/protocol: the latest version (null before the first save), the earlier ones, the files. */
export const Protocol = z
  .object({
    consultationId: Uuid,
    latest: ProtocolVersionView.nullable(),
    /** Earlier versions, newest first. */
    earlier: z.array(ProtocolVersionSummary),
    files: z.array(ProtocolFileView),
    /** Bytes of all the files together (the limit is PROTOCOL_FILES_TOTAL_MAX_BYTES). */
    filesTotalBytes: z.number().int().min(0),
    /** The consultation's topic as booked or last saved (a new protocol starts from it). */
    consultationTopic: ConsultationTopic.nullable(),
  })
  .meta({ id: 'Protocol' });
export type Protocol = z.infer<typeof Protocol>;

export const ProtocolVersionParams = z.object({ consultationId: Uuid, version: z.coerce.number().int().min(1).max(1_000_000) });
export type ProtocolVersionParams = z.infer<typeof ProtocolVersionParams>;

export const ProtocolFileParams = z.object({ consultationId: Uuid, fileId: Uuid });
export type ProtocolFileParams = z.infer<typeof ProtocolFileParams>;

/** POST …/protocol/files?name=…: the file's name as the person sees it (the bytes are the raw body). */
export const UploadProtocolFileQuery = z.object({
  name: plainText(PROTOCOL_FILE_NAME_MAX)
    .min(1)
    .refine((v) => !/[/\\]/.test(v), { message: 'a file name without / or \\' }),
});
export type UploadProtocolFileQuery = z.infer<typeof UploadProtocolFileQuery>;

/** The raw body of an upload (application/octet-stream), as bytes. */
export const FileBytes = z
  .custom<Uint8Array>((v) => v instanceof Uint8Array, { message: 'the file as application/octet-stream' })
  .meta({ description: 'the raw bytes (application/octet-stream)' });

/** A file download: the bytes (the server sends them with the stored type and name). */
export const FileDownload = z.custom<Uint8Array>((v) => v instanceof Uint8Array, { message: 'bytes' }).meta({ description: 'the file' });

export const DeletedProtocolFile = z.object({ id: Uuid, deleted: z.literal(true) });
