import type { AppError } from '../src/core/errors';

/** The data worker's surface: import and export of whole files, off the UI thread. */

export type ImportOutcome =
  | { ok: true; text: string; chats: number; messages: number; already: number; skipped: number; chatIds: string[] }
  | { ok: false; error: AppError };

/** `note`: something the user should know about the file (attached images left out of a backup). */
export type ExportOutcome = { ok: true; blob: Blob; fileName: string; chats: number; note?: string } | { ok: false; error: AppError };

export interface DataApi {
  /** Reads `file` as a stream, validates every chat, writes the valid ones in one transaction. */
  importFile(file: Blob, onProgress?: (bytesRead: number, total: number) => void): Promise<ImportOutcome>;
  /** Every chat as Open WebUI's export JSON. */
  exportAll(): Promise<ExportOutcome>;
  /** The full Parley backup; API keys only when `includeKeys`. */
  exportBackup(includeKeys: boolean): Promise<ExportOutcome>;
}
