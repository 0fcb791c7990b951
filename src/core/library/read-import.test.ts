import { describe, expect, it } from 'vitest';
import { ImportFileError, readImport, readImportText } from './read-import';
import { isSkipped, type ImportedChat } from './imported';
import { exportFixture } from './test-fixtures';

const NOW = 1_800_000_000_000;

/** `bytes` as a stream of pieces cut at the given sizes (repeating). */
function streamOf(bytes: Uint8Array, sizes: number[]): ReadableStream<Uint8Array> {
  let at = 0;
  let k = 0;
  return new ReadableStream({
    pull(c) {
      if (at >= bytes.length) return c.close();
      const n = sizes[k++ % sizes.length]!;
      c.enqueue(bytes.slice(at, at + n));
      at += n;
    },
  });
}

describe('readImport', () => {
  const { text } = exportFixture('openwebui-chat-object');

  it('gives the same chat however the bytes are cut, mid UTF-8 character included (the title’s emoji)', async () => {
    const bytes = new TextEncoder().encode(`[${text}, ${text}]`);
    const whole = await readImportText(`[${text}, ${text}]`, { now: NOW });
    for (const sizes of [[1], [2, 3], [7], [4096]]) {
      const r = await readImport(streamOf(bytes, sizes), { now: NOW });
      expect(r).toEqual(whole);
    }
    const first = whole.chats[0] as ImportedChat;
    expect(first.chat.title).toBe('🧠 Goldwater Rule Ethics');
  });

  it('detects each format by content', async () => {
    expect((await readImportText(text, { now: NOW })).format).toBe('openwebui');
    expect((await readImportText(`[{"id":"r","title":"t","chat":${text}}]`, { now: NOW })).format).toBe('openwebui');
    expect((await readImportText(exportFixture('chatgpt-conversations').text, { now: NOW })).format).toBe('chatgpt');
    expect((await readImportText('{"format":"parley-backup","version":1,"tables":{}}', { now: NOW })).format).toBe('parley-backup');
  });

  it('skips items of a list that are not chats, and reports progress in bytes', async () => {
    const seen: number[] = [];
    const bytes = new TextEncoder().encode(`[${text}, {"x": 1}]`);
    const r = await readImport(streamOf(bytes, [1000]), { now: NOW, onProgress: (n) => seen.push(n) });
    expect(r.chats.map((c) => isSkipped(c))).toEqual([false, true]);
    expect(seen.at(-1)).toBe(bytes.length);
    expect(seen.length).toBe(Math.ceil(bytes.length / 1000));
  });

  it('refuses bytes that are not UTF-8', async () => {
    await expect(readImport(streamOf(new Uint8Array([0x5b, 0xff, 0xfe, 0x5d]), [4]), { now: NOW })).rejects.toThrow(ImportFileError);
  });
});
