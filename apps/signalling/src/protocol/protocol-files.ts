// The files given with a protocol: the type is read from the content (the `file-type`
// package's magic numbers), never from the name a person typed, and only document, picture
// and audio/video kinds are taken. Plain text has no magic number: it is taken when it is
// valid UTF-8 without NUL bytes. Each file is stored with its SHA-256.
import { createHash } from 'node:crypto';
import { fileTypeFromBuffer } from 'file-type';

/** What `file-type` may find, with the type the file is stored and served as. */
const ALLOWED: Readonly<Record<string, string>> = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  odt: 'application/vnd.oasis.opendocument.text',
  ods: 'application/vnd.oasis.opendocument.spreadsheet',
  rtf: 'application/rtf',
  png: 'image/png',
  jpg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  mp3: 'audio/mpeg',
  mp4: 'video/mp4',
  m4a: 'audio/mp4',
};

/**
 * Old Word and Excel files are OLE compound files ('cfb'), as are installers (.msi) and other
 * things: such a file is taken only when its name says .doc or .xls.
 */
const COMPOUND_BY_NAME: Readonly<Record<string, string>> = {
  doc: 'application/msword',
  xls: 'application/vnd.ms-excel',
};

const extension = (name: string) => /\.([A-Za-z0-9]+)$/.exec(name)?.[1]?.toLowerCase() ?? '';

function isPlainText(bytes: Uint8Array): boolean {
  if (bytes.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** The type to store the file as, or null when it is not one the protocol takes. */
export async function allowedFileType(bytes: Uint8Array, name: string): Promise<string | null> {
  const found = await fileTypeFromBuffer(bytes);
  if (found) {
    if (found.ext === 'cfb') return COMPOUND_BY_NAME[extension(name)] ?? null;
    return ALLOWED[found.ext] ?? null;
  }
  return isPlainText(bytes) ? 'text/plain; charset=utf-8' : null;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
