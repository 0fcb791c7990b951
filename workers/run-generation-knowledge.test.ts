import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb, type ParleyDb } from '../src/core/storage/db';
import { sendTurn } from '../src/core/storage/chats';
import type { Message } from '../src/core/storage/schema';
import { createEngine, type Engine } from './engine';
import { recordingFetch, testServerConnection, withoutTasks } from './test-engine-support';
import { memoryLocks, systemClock, type KnowledgePort } from './ports';
import { buildMessages, knowledgeScope } from './run-generation';
import { createKnowledgeService, type KnowledgeService } from './knowledge/service';
import { FakeEmbedService } from './knowledge/test-fakes';

const SPACE = '# Space\n\nThe Voyager probes left the heliosphere. Voyager 1 crossed it in 2012 at 121 astronomical units.';
const GARDEN = '# Garden\n\nTomatoes need full sun and regular watering.';
const BREAD = Array.from({ length: 40 }, (_, i) => `Paragraph ${i} is about bread, flour and yeast.`).join('\n\n') + '\n\nBaguettes bake at 250 degrees.';

let db: ParleyDb;
let engine: Engine | undefined;
let knowledge: KnowledgeService;
let n = 0;
beforeEach(async () => {
  db = openDb(`test-run-knowledge-${n++}`);
  await withoutTasks(db);
  knowledge = createKnowledgeService({ db, embed: new FakeEmbedService(), extractors: {}, appOrigin: '' });
  await knowledge.setSettings({ model: 'tiny', chunkSize: 200, chunkOverlap: 20, topK: 2, fullContextChars: 100 });
});
afterEach(async () => {
  await engine?.tasksIdle();
  engine?.close();
  await knowledge.idle();
  await db.delete();
});

const user = (id: string, content: string, extra: Partial<Message> = {}): Message => ({
  id, chatId: 'c', parentId: null, role: 'user', content, reasoning: '', refusal: '', model: '', connectionId: '', modelIdx: 0, status: 'done',
  error: null, finishReason: null, usage: null, metrics: null, attachments: [], createdAt: 1, updatedAt: 1, ...extra,
});

describe('buildMessages with a retrieval prompt', () => {
  it('puts the prompt before the last question only, as Open WebUI does', () => {
    const branch = [user('u1', 'first'), { ...user('a1', 'answer'), role: 'assistant' as const }, user('u2', 'second')];
    expect(buildMessages('sys', branch, new Map(), 'RAG')).toEqual([
      { role: 'system', content: 'sys' },
      { role: 'user', content: 'first' },
      { role: 'assistant', content: 'answer' },
      { role: 'user', content: 'RAG\nsecond' },
    ]);
    expect(buildMessages('', branch)[2]).toEqual({ role: 'user', content: 'second' });
  });

  it('knowledgeScope: the chat bases and every file of the branch, asked with the last question', () => {
    const branch = [user('u1', 'q1', { files: [{ documentId: 'd1', name: 'a' }] }), user('u2', 'q2', { files: [{ documentId: 'd1', name: 'a' }, { documentId: 'd2', name: 'b' }] })];
    expect(knowledgeScope({ knowledgeIds: ['k'] }, branch)).toEqual({ query: 'q2', knowledgeIds: ['k'], documentIds: ['d1', 'd2'] });
    expect(knowledgeScope({}, [user('u', 'q')])).toBeNull();
  });
});

async function ask(content: string, setup: (chatId: string, userId: string) => Promise<void>, port: (() => Promise<KnowledgePort | null>) | null = async () => knowledge) {
  const conn = await testServerConnection(db, 'openai');
  const f = recordingFetch('Voyager 1 crossed it in 2012 [1].');
  engine = createEngine({ db, fetch: f.fetch, clock: systemClock, locks: memoryLocks(), appOrigin: 'http://127.0.0.1:1', ...(port ? { knowledge: port } : {}) });
  const t = await sendTurn(db, { chatId: null, content, model: 'm1', connectionId: conn.id, now: 10 });
  await setup(t.chatId, t.userId);
  await engine.generate({ chatId: t.chatId, messageId: t.assistantId }, () => undefined);
  const sent = (f.bodies[0]!['messages'] as Array<{ role: string; content: string }>).at(-1)!;
  return { sent, answer: (await db.messages.get(t.assistantId))!, turn: t };
}

describe('answers with knowledge', () => {
  it('a chat with a knowledge base: the passages go in the RAG template before the question, and are stored on the answer', async () => {
    const k = await knowledge.createKnowledge({ name: 'K' });
    await knowledge.addFiles(k.id, [new File([SPACE], 'space.md'), new File([GARDEN], 'garden.md')]);
    await knowledge.idle();
    const { sent, answer } = await ask('When did Voyager 1 cross the heliosphere?', async (chatId) => {
      await db.chats.update(chatId, { knowledgeIds: [k.id] });
    });
    expect(sent.role).toBe('user');
    expect(sent.content).toMatch(/^### Task:/);
    expect(sent.content).toContain('<source id="1" name="space.md">');
    expect(sent.content).toContain('2012 at 121 astronomical units');
    expect(sent.content).toContain('<user_query>\nWhen did Voyager 1 cross the heliosphere?\n</user_query>');
    expect(sent.content.endsWith('\nWhen did Voyager 1 cross the heliosphere?')).toBe(true);
    expect(answer.status).toBe('done');
    expect(answer.sources![0]).toMatchObject({ n: 1, docName: 'space.md', knowledgeId: k.id });
    expect(answer.sources![0]!.chunkId).not.toBe('');
    expect(answer.sourcesNote).toBeUndefined();
  });

  it('files attached to the question: a short one whole, a long one retrieved from', async () => {
    const { sent, answer } = await ask('How hot for baguettes?', async (chatId, userId) => {
      const added = await knowledge.addFiles({ chatId, messageId: userId }, [new File([GARDEN], 'garden.md'), new File([BREAD], 'bread.md')]);
      expect(added.every((a) => a.ok)).toBe(true);
      await knowledge.idle();
    });
    expect(answer.sources!.map((s) => [s.n, s.docName, s.chunkId === ''])).toEqual([
      [1, 'garden.md', true],
      [2, 'bread.md', false],
      [3, 'bread.md', false],
    ]);
    expect(answer.sources![0]!.text).toBe(GARDEN);
    expect(sent.content).toContain('250 degrees');
  });

  it('retrieval failure: the answer still goes, without sources, with a note', async () => {
    const { sent, answer } = await ask('Anything?', async (chatId) => {
      await db.chats.update(chatId, { knowledgeIds: ['gone'] });
    }, async () => ({ context: async () => { throw new Error('worker crashed'); } }));
    expect(sent.content).toBe('Anything?');
    expect(answer.status).toBe('done');
    expect(answer.content).toContain('2012');
    expect(answer.sources).toEqual([]);
    expect(answer.sourcesNote).toMatch(/could not be searched \(worker crashed\)/);
  });

  it('no knowledge worker reachable: a note, and the answer', async () => {
    const { answer } = await ask('Anything?', async (chatId) => {
      await db.chats.update(chatId, { knowledgeIds: ['k'] });
    }, null);
    expect(answer.status).toBe('done');
    expect(answer.sourcesNote).toMatch(/not available/);
  });

  it('stop while the sources are being gathered ends the answer as stopped, without waiting for them', async () => {
    const conn = await testServerConnection(db, 'openai');
    const f = recordingFetch('never sent');
    let asked!: () => void;
    const wasAsked = new Promise<void>((r) => (asked = r));
    const hanging: KnowledgePort = {
      context: () => {
        asked();
        return new Promise(() => undefined);
      },
    };
    engine = createEngine({ db, fetch: f.fetch, clock: systemClock, locks: memoryLocks(), appOrigin: '', knowledge: async () => hanging });
    const t = await sendTurn(db, { chatId: null, content: 'q', model: 'm1', connectionId: conn.id, now: 10 });
    await db.chats.update(t.chatId, { knowledgeIds: ['k'] });
    const run = engine.generate({ chatId: t.chatId, messageId: t.assistantId }, () => undefined);
    await wasAsked;
    await engine.stop(t.assistantId);
    await run;
    expect(await db.messages.get(t.assistantId)).toMatchObject({ status: 'done', finishReason: 'stopped', content: '' });
  });

  it('a chat without knowledge is sent as before and gets no sources field', async () => {
    const { sent, answer } = await ask('Plain question', async () => undefined);
    expect(sent.content).toBe('Plain question');
    expect(answer.sources).toBeUndefined();
    expect(answer.sourcesNote).toBeUndefined();
  });
});
