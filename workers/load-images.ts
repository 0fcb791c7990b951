import type { ParleyDb } from '../src/core/storage/db';
import type { Message } from '../src/core/storage/schema';
import { readImages } from '../src/core/storage/message-images';
import { bytesToBase64 } from '../src/core/images/bytes-to-base64';
import type { ChatMessage } from '../src/core/providers/types';

export type ChatImages = NonNullable<ChatMessage['images']>;

/**
 * The images of the branch's questions, read from IndexedDB and base64-encoded for the
 * request, by message id. Read per request, never cached: each run holds them only while
 * it builds its body. A blob that went missing is left out rather than failing the run.
 */
export async function loadImages(db: ParleyDb, branch: readonly Message[]): Promise<Map<string, ChatImages>> {
  const out = new Map<string, ChatImages>();
  for (const m of branch) {
    if (m.role !== 'user') continue;
    const rows = await readImages(db, m);
    if (rows.length === 0) continue;
    const images: ChatImages = [];
    for (const r of rows) images.push({ mime: r.mime, base64: bytesToBase64(new Uint8Array(await r.blob.arrayBuffer())) });
    out.set(m.id, images);
  }
  return out;
}
