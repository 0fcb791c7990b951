import type { ParleyDb } from '../../core/storage/db';
import { chatAsMarkdown, chatAsOpenWebUI, readChat } from '../../core/storage/export-chats';
import { fileStem } from '../../core/library/markdown-export';
import { saveFile } from './save-file';

/**
 * Saves one chat as a file: Open WebUI's export JSON (`json`, a one-row array Open WebUI and
 * Parley both import) or Markdown of the visible branch (`md`). The sidebar's chat menu loads
 * this module on use. One chat is small, so it is built here rather than in the data worker.
 */
export async function downloadChat(db: ParleyDb, chatId: string, format: 'json' | 'md'): Promise<void> {
  const { chat } = await readChat(db, chatId);
  const stem = `chat-${fileStem(chat.title)}`;
  if (format === 'json') saveFile(new Blob([await chatAsOpenWebUI(db, chatId)], { type: 'application/json' }), `${stem}.json`);
  else saveFile(new Blob([await chatAsMarkdown(db, chatId)], { type: 'text/markdown' }), `${stem}.md`);
}
