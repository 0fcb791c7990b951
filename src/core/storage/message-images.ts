import type { ParleyDb } from './db';
import type { Attachment, Message, StoredBlob } from './schema';
import { newId } from '../id';

/** An image the user picked, checked and measured, not yet stored. */
export interface NewImage {
  blob: Blob;
  mime: string;
  name: string;
  width?: number;
  height?: number;
}

/** Rows written before attachments existed have none. */
export function attachmentsOf(m: Pick<Message, 'attachments'>): Attachment[] {
  return m.attachments ?? [];
}

/**
 * The attachments and blob rows for `images` on message `messageId`. The caller writes both in
 * its own transaction with the message, so a message never names an image that is not there.
 */
export function imageRows(chatId: string, messageId: string, images: readonly NewImage[]): { attachments: Attachment[]; blobs: StoredBlob[] } {
  const attachments: Attachment[] = [];
  const blobs: StoredBlob[] = [];
  for (const img of images) {
    const id = newId();
    attachments.push({
      id,
      kind: 'image',
      mime: img.mime,
      name: img.name,
      bytes: img.blob.size,
      ...(img.width !== undefined ? { width: img.width } : {}),
      ...(img.height !== undefined ? { height: img.height } : {}),
    });
    blobs.push({ id, chatId, messageId, blob: img.blob, mime: img.mime });
  }
  return { attachments, blobs };
}

/**
 * Copies of `from`'s images for a new message (an edited question). Each message owns its
 * blobs, so deleting either branch leaves the other's images whole. Run inside a transaction
 * over `db.blobs`. An attachment whose blob is missing is left out rather than copied broken.
 */
export async function copyImages(db: ParleyDb, from: Message, toId: string): Promise<{ attachments: Attachment[]; blobs: StoredBlob[] }> {
  const attachments: Attachment[] = [];
  const blobs: StoredBlob[] = [];
  for (const a of attachmentsOf(from)) {
    const row = await db.blobs.get(a.id);
    if (!row) continue;
    const id = newId();
    attachments.push({ ...a, id });
    blobs.push({ ...row, id, messageId: toId });
  }
  return { attachments, blobs };
}

/** The blobs of `message`'s attachments, in the attachments' order; missing ones are skipped. */
export async function readImages(db: ParleyDb, message: Pick<Message, 'attachments'>): Promise<StoredBlob[]> {
  const ids = attachmentsOf(message).map((a) => a.id);
  if (ids.length === 0) return [];
  const rows = await db.blobs.bulkGet(ids);
  return rows.filter((r): r is StoredBlob => r !== undefined);
}
