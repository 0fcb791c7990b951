import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb, type ParleyDb } from '../src/core/storage/db';
import { sendTurn } from '../src/core/storage/chats';
import type { MessageContext } from '../src/core/storage/schema';
import { createEngine, type Engine } from './engine';
import { recordingFetch, testServerConnection, withoutTasks } from './test-engine-support';
import { memoryLocks, systemClock } from './ports';

let db: ParleyDb;
let engine: Engine | undefined;
let n = 0;
beforeEach(async () => {
  db = openDb(`test-run-context-${n++}`);
  await withoutTasks(db);
});
afterEach(async () => {
  engine?.close();
  await db.delete();
});

const PAGE: MessageContext = { kind: 'url', url: 'https://example.org/a?x=1&y="2"', title: 'A "quoted" page', text: 'Line one.\n\nLine two.', truncated: true };
const BLOCK = '<context source="url" url="https://example.org/a?x=1&y=\\"2\\"" title="A \\"quoted\\" page" truncated="true">\nLine one.\n\nLine two.\n</context>\n\nSummarise';

/** A question with a page attached, answered, then a follow-up; returns both requests' messages. */
async function twoTurns(kind: 'openai' | 'ollama') {
  const conn = await testServerConnection(db, kind);
  const f = recordingFetch('ok');
  engine = createEngine({ db, fetch: f.fetch, clock: systemClock, locks: memoryLocks(), appOrigin: 'http://127.0.0.1:4317' });
  const first = await sendTurn(db, { chatId: null, content: 'Summarise', model: 'm1', connectionId: conn.id, now: 10, context: [PAGE] });
  expect((await db.messages.get(first.userId))?.context).toEqual([PAGE]);
  await engine.generate({ chatId: first.chatId, messageId: first.assistantId }, () => undefined);
  const second = await sendTurn(db, { chatId: first.chatId, content: 'More', model: 'm1', connectionId: conn.id, now: 20 });
  expect((await db.messages.get(second.userId))?.context).toBeUndefined();
  await engine.generate({ chatId: second.chatId, messageId: second.assistantId }, () => undefined);
  return f.bodies.map((b) => b['messages'] as Array<Record<string, unknown>>);
}

describe('a page attached as context reaches the model before the question', () => {
  it('OpenAI: in the user content, in later turns too; the stored content stays the question', async () => {
    const [one, two] = await twoTurns('openai');
    expect(one).toEqual([{ role: 'user', content: BLOCK }]);
    expect(two).toEqual([{ role: 'user', content: BLOCK }, { role: 'assistant', content: 'ok' }, { role: 'user', content: 'More' }]);
  });

  it('Ollama: the same block in the message content', async () => {
    const [one] = await twoTurns('ollama');
    expect(one).toEqual([{ role: 'user', content: BLOCK }]);
  });
});
