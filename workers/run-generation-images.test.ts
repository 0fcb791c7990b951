import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb, type ParleyDb } from '../src/core/storage/db';
import { sendTurn } from '../src/core/storage/chats';
import { saveConnection } from '../src/core/storage/connections';
import { isAppError } from '../src/core/errors';
import { createEngine, type Engine } from './engine';
import { recordingFetch, testServerConnection, withoutTasks } from './test-engine-support';
import { memoryLocks, systemClock } from './ports';

/** The 8-byte PNG signature and a few more bytes: enough to check the encoding byte for byte. */
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0xff]);
const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2]);


let db: ParleyDb;
let engine: Engine | undefined;
let n = 0;
beforeEach(async () => {
  db = openDb(`test-run-images-${n++}`);
  await withoutTasks(db);
});
afterEach(async () => {
  engine?.close();
  await db.delete();
});

/** A question with two images, answered, then a plain follow-up; returns both request bodies. */
async function twoTurns(kind: 'openai' | 'ollama') {
  const conn = await testServerConnection(db, kind);
  const f = recordingFetch('a cat');
  engine = createEngine({ db, fetch: f.fetch, clock: systemClock, locks: memoryLocks(), appOrigin: 'http://127.0.0.1:4317' });
  const images = [
    { blob: new Blob([PNG], { type: 'image/png' }), mime: 'image/png', name: 'a.png', width: 1, height: 1 },
    { blob: new Blob([JPEG], { type: 'image/jpeg' }), mime: 'image/jpeg', name: 'b.jpg' },
  ];
  const first = await sendTurn(db, { chatId: null, content: 'What is this?', model: 'm1', connectionId: conn.id, now: 10, images });
  await engine.generate({ chatId: first.chatId, messageId: first.assistantId }, () => undefined);
  const second = await sendTurn(db, { chatId: first.chatId, content: 'Sure?', model: 'm1', connectionId: conn.id, now: 20 });
  await engine.generate({ chatId: second.chatId, messageId: second.assistantId }, () => undefined);
  expect((await db.messages.get(second.assistantId))?.status).toBe('done');
  return f.bodies.map((b) => b['messages'] as Array<Record<string, unknown>>);
}

const b64 = (u: Uint8Array) => Buffer.from(u).toString('base64');

describe('runGeneration sends the stored images', () => {
  it('OpenAI: image_url data URL parts on the question, every later turn too', async () => {
    const [one, two] = await twoTurns('openai');
    const parts = [
      { type: 'text', text: 'What is this?' },
      { type: 'image_url', image_url: { url: `data:image/png;base64,${b64(PNG)}` } },
      { type: 'image_url', image_url: { url: `data:image/jpeg;base64,${b64(JPEG)}` } },
    ];
    expect(one).toEqual([{ role: 'user', content: parts }]);
    expect(two).toEqual([{ role: 'user', content: parts }, { role: 'assistant', content: 'a cat' }, { role: 'user', content: 'Sure?' }]);
  });

  it('Ollama: bare base64 in `images`', async () => {
    const [one] = await twoTurns('ollama');
    expect(one).toEqual([{ role: 'user', content: 'What is this?', images: [b64(PNG), b64(JPEG)] }]);
  });

  it('a blob that went missing is left out, the request still goes', async () => {
    const conn = await saveConnection(db, { kind: 'openai', url: 'http://127.0.0.1:9/v1' }, 1);
    if (isAppError(conn)) throw new Error(conn.message);
    const f = recordingFetch('a cat');
    engine = createEngine({ db, fetch: f.fetch, clock: systemClock, locks: memoryLocks(), appOrigin: 'http://127.0.0.1:4317' });
    const images = [{ blob: new Blob([PNG], { type: 'image/png' }), mime: 'image/png', name: 'a.png' }];
    const t = await sendTurn(db, { chatId: null, content: 'Hi', model: 'm1', connectionId: conn.id, now: 10, images });
    await db.blobs.clear();
    await engine.generate({ chatId: t.chatId, messageId: t.assistantId }, () => undefined);
    expect(f.bodies[0]!['messages']).toEqual([{ role: 'user', content: 'Hi' }]);
  });
});
