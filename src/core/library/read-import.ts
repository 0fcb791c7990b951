import { JsonSplitError, JsonSplitter } from './json-splitter';
import { detectValue, UNKNOWN_FORMAT, type ValueKind } from './detect-format';
import { fromOpenWebUI } from './openwebui-import';
import { fromChatGPT } from './chatgpt-import';
import { readBackup, type BackupExtras } from './parley-backup';
import type { ImportedChat, SkippedChat, SourceFormat } from './imported';

/** Deeper than any real export (an Open WebUI message sits ~6 levels down); deeper is refused. */
export const MAX_DEPTH = 64;

/** A problem with the whole file: nothing of it is imported. */
export class ImportFileError extends Error {}

export interface ParsedFile {
  format: SourceFormat;
  chats: Array<ImportedChat | SkippedChat>;
  extras: BackupExtras | null;
}

export interface ReadOptions {
  now: number;
  /** Called as bytes are read (for a progress bar). */
  onProgress?: (bytesRead: number) => void;
  maxDepth?: number;
  /**
   * Takes each chat as it is read, instead of collecting them in `chats`: the reading waits
   * while it works (back-pressure), so a big file is never held whole.
   */
  onChat?: (c: ImportedChat | SkippedChat) => Promise<void>;
}

function convert(kind: ValueKind, v: unknown, index: number, now: number): ImportedChat | SkippedChat {
  if (kind === 'chatgpt') return fromChatGPT(v, index, now);
  if (kind === 'openwebui-row' || kind === 'openwebui-chat') return fromOpenWebUI(v, index, now);
  return { title: `item #${index + 1}`, reason: 'it is not a chat (neither Open WebUI nor ChatGPT)' };
}

function formatOf(kind: ValueKind): SourceFormat {
  return kind === 'chatgpt' ? 'chatgpt' : kind === 'parley-backup' ? 'parley-backup' : 'openwebui';
}

/**
 * Reads an import file as a stream: decodes UTF-8 across chunk borders, splits the top-level
 * list into items, parses and converts each as it arrives. Only the converted rows are kept,
 * never the file's text or its parsed tree as a whole.
 */
export async function readImport(stream: ReadableStream<Uint8Array>, opts: ReadOptions): Promise<ParsedFile> {
  const chats: Array<ImportedChat | SkippedChat> = [];
  let index = 0;
  let format: SourceFormat | null = null;
  let extras: BackupExtras | null = null;
  const onElement = (text: string, top: 'array' | 'value') => {
    let v: unknown;
    try {
      v = JSON.parse(text);
    } catch {
      throw new ImportFileError('The file is not valid JSON.');
    }
    const kind = detectValue(v);
    if (format === null) {
      if (kind === 'unknown' || (kind === 'parley-backup' && top === 'array')) throw new ImportFileError(UNKNOWN_FORMAT);
      format = formatOf(kind);
    }
    if (kind === 'parley-backup') {
      try {
        const b = readBackup(v);
        chats.push(...b.chats);
        index += b.chats.length;
        extras = b.extras;
      } catch (e) {
        throw new ImportFileError(e instanceof Error ? e.message : String(e));
      }
      return;
    }
    chats.push(convert(kind, v, index++, opts.now));
  };
  /** Hands what the last piece produced to `onChat`, if there is one. */
  const drain = async () => {
    if (opts.onChat) for (const c of chats.splice(0)) await opts.onChat(c);
  };
  const splitter = new JsonSplitter({ maxDepth: opts.maxDepth ?? MAX_DEPTH, onElement });
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const reader = stream.getReader();
  let read = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      read += value.byteLength;
      splitter.push(decoder.decode(value, { stream: true }));
      await drain();
      opts.onProgress?.(read);
    }
    splitter.push(decoder.decode());
    splitter.end();
    await drain();
  } catch (e) {
    void reader.cancel().catch(() => undefined);
    if (e instanceof JsonSplitError) throw new ImportFileError(`The file is not valid JSON: ${e.message}`);
    if (e instanceof TypeError && /decode|encoding/i.test(e.message)) throw new ImportFileError('The file is not UTF-8 text.');
    throw e;
  }
  if (format === null) throw new ImportFileError('The file holds an empty list: there is nothing to import.');
  return { format, chats, extras };
}

/** The same, for text already in memory (tests, small files). */
export function readImportText(text: string, opts: ReadOptions): Promise<ParsedFile> {
  const bytes = new TextEncoder().encode(text);
  return readImport(new ReadableStream({ start: (c) => { c.enqueue(bytes); c.close(); } }), opts);
}
