import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb, type ParleyDb } from '../src/core/storage/db';
import { createDataService } from './data';
import { exportFixture } from '../src/core/library/test-fixtures';

let db: ParleyDb;
let n = 0;
beforeEach(async () => {
  db = openDb(`test-data-service-${n++}`);
  await db.open();
});
afterEach(async () => {
  await db.delete();
});

const clock = { now: () => Date.UTC(2026, 10, 22, 12) };

describe('data service', () => {
  it('imports a file, then exports it as Open WebUI JSON and a backup with dated names', async () => {
    const data = createDataService(db, clock);
    const progress: Array<[number, number]> = [];
    const file = new Blob([exportFixture('chatgpt-conversations').text]);
    const r = await data.importFile(file, (read, total) => progress.push([read, total]));
    expect(r).toMatchObject({ ok: true, text: 'Imported 1 chat (10 messages).', chats: 1, messages: 10 });
    expect(progress.at(-1)).toEqual([file.size, file.size]);
    const all = await data.exportAll();
    if (!all.ok) throw new Error(all.error.message);
    expect(all.fileName).toBe('parley-chats-2026-11-22.json');
    expect(JSON.parse(await all.blob.text())).toHaveLength(1);
    const backup = await data.exportBackup(false);
    expect(backup.ok && backup.fileName).toBe('parley-backup-2026-11-22.json');
  });

  it('returns errors as data, with nothing written', async () => {
    const data = createDataService(db, clock);
    const r = await data.importFile(new Blob(['not json']));
    expect(r).toEqual({ ok: false, error: { kind: 'invalid', message: expect.stringMatching(/not valid JSON/) } });
    expect(await db.chats.count()).toBe(0);
  });
});
