import type { ParleyDb } from '../../core/storage/db';

/**
 * PLACEHOLDER (the import/export helper replaces this file): saves one chat as a file,
 * Open WebUI export JSON (`json`) or Markdown (`md`). The sidebar's chat menu calls it
 * through a dynamic import.
 */
export async function downloadChat(_db: ParleyDb, _chatId: string, _format: 'json' | 'md'): Promise<void> {
  throw new Error('Not built yet');
}
