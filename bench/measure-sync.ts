/**
 * Sync (issue 9), in Chromium against the in-memory CouchDB-protocol test server (e2e/couch-server/),
 * on another origin than the app. Live sync on (the default).
 * 1. First sync of a library of BENCH_SYNC_CHATS chats × BENCH_SYNC_PER_CHAT messages (default
 *    1,000 × 20 = 20,000 messages, written straight into IndexedDB as if there before sync): from
 *    "Turn on sync" to "nothing waiting" — time, requests, body bytes up and down.
 * 2. The same library down to an empty device: from "Turn on sync" until every message is stored.
 * 3. Incremental: one new message (a question written into the chat with the composer, the model
 *    off so no answer follows): the requests and bytes of its push, and of the other device's
 *    pull, beside the size of the message's own document.
 * Bytes are HTTP bodies (the server counts them); headers are not counted.
 */

import { expect, type Browser, type Page } from '@playwright/test';
import { startCouchServer, type CouchServer, type RecordedRequest } from '../e2e/couch-server/server';
import type { FakeLlm } from '../e2e/fake-llm/server';
import { stored, turnOnSync } from '../e2e/sync-helpers';
import { chat, message } from '../src/core/sync/test-records';
import { closeDevices, makeDevice } from '../workers/sync/sync-test-devices';
import { addConnection, pickModel } from './driver';
import type { ms as msFn, section as sectionFn, table as tableFn } from './report';

const CHATS = Number(process.env.BENCH_SYNC_CHATS ?? 1000);
const PER_CHAT = Number(process.env.BENCH_SYNC_PER_CHAT ?? 20);

export interface Traffic {
  requests: number;
  bytesUp: number;
  bytesDown: number;
}
export interface SyncBench {
  chats: number;
  messages: number;
  up: { ms: number } & Traffic;
  down: { ms: number } & Traffic;
  /** One question and its answer from the model, live sync on both devices (browser). */
  exchange: { push: Traffic; pull: Traffic; docBytes: number; requestsList: string[] };
  /** Exactly one new message record, in node (the sync loop over fake-indexeddb, same server code): push round and the other device's pull round. */
  oneMessage: { push: Traffic; pull: Traffic; docBytes: number };
}

function traffic(rs: RecordedRequest[]): Traffic {
  const real = rs.filter((r) => r.method !== 'OPTIONS');
  return { requests: real.length, bytesUp: real.reduce((n, r) => n + (r.bytesIn ?? 0), 0), bytesDown: real.reduce((n, r) => n + (r.bytesOut ?? 0), 0) };
}

/** Runs in the page: the library written straight into IndexedDB (messages of ~60 words). */
async function seed(args: { chats: number; perChat: number }): Promise<number> {
  const words = 'the model answer question code cache index server stream token plan trip budget garden music story report meeting project price order planet orbit rust python react database network kettle recipe'.split(' ');
  let a = 7;
  const rnd = () => ((a = (a * 1103515245 + 12345) >>> 0) / 4294967296);
  const text = () => Array.from({ length: 40 + Math.floor(rnd() * 40) }, () => words[Math.floor(rnd() * words.length)]).join(' ') + '.';
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const r = indexedDB.open('parley');
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
  const t0 = Date.now() - args.chats * 60_000;
  let n = 0;
  for (let c0 = 0; c0 < args.chats; c0 += 250) {
    const tx = db.transaction(['chats', 'messages', 'nodes'], 'readwrite');
    for (let c = c0; c < Math.min(args.chats, c0 + 250); c++) {
      const chatId = `bench-${c}`;
      let parent: string | null = null;
      for (let i = 0; i < args.perChat; i++) {
        const id = `${chatId}-${i}`;
        const role = i % 2 === 0 ? 'user' : 'assistant';
        const at = t0 + c * 60_000 + i;
        tx.objectStore('messages').put({ id, chatId, parentId: parent, role, content: text(), reasoning: '', refusal: '', model: 'gpt-4o-mini', connectionId: '', modelIdx: 0, status: 'done', error: null, finishReason: 'stop', usage: null, metrics: null, attachments: [], createdAt: at, updatedAt: at });
        tx.objectStore('nodes').put({ id, chatId, parentId: parent, role, modelIdx: 0, model: 'gpt-4o-mini', connectionId: '', createdAt: at });
        parent = id;
        n++;
      }
      tx.objectStore('chats').put({ id: chatId, title: text().slice(0, 40), createdAt: t0 + c * 60_000, updatedAt: t0 + c * 60_000 + args.perChat, pinned: false, archived: false, folderId: null, tags: [], currentId: parent, models: ['gpt-4o-mini'], system: '', params: {} });
    }
    await new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
    });
  }
  db.close();
  return n;
}

async function device(browser: Browser, appUrl: string): Promise<{ page: Page; close: () => Promise<void> }> {
  const context = await browser.newContext({ baseURL: appUrl });
  const page = await context.newPage();
  // tsx (esbuild, keepNames) wraps named inner functions of `seed` in __name(); the page has none.
  await page.addInitScript('globalThis.__name = (f) => f');
  await page.goto('/');
  await expect(page.getByTestId('composer-input')).toBeVisible();
  return { page, close: () => context.close() };
}

const count = (page: Page, store: string) =>
  page.evaluate(
    (name) =>
      new Promise<number>((resolve, reject) => {
        const r = indexedDB.open('parley');
        r.onerror = () => reject(r.error);
        r.onsuccess = () => {
          const q = r.result.transaction(name).objectStore(name).count();
          q.onsuccess = () => (resolve(q.result), r.result.close());
          q.onerror = () => reject(q.error);
        };
      }),
    store,
  );

export async function measureSync(browser: Browser, appUrl: string, llm: FakeLlm): Promise<SyncBench> {
  const couch: CouchServer = await startCouchServer({ ttlMs: 20 * 60_000 });
  const a = await device(browser, appUrl);
  const b = await device(browser, appUrl);
  try {
    const messages = await a.page.evaluate(seed, { chats: CHATS, perChat: PER_CHAT });
    await addConnection(a.page, { kind: 'openai', url: `${llm.url}/v1` });
    // 1. Up. The user names tell the two devices' requests apart (the test server asks for no password).
    let from = couch.requests.length;
    let t0 = Date.now();
    await turnOnSync(a.page, couch, { user: 'a' });
    await expect(a.page.getByTestId('sync-status')).toHaveAttribute('data-status', 'ok', { timeout: 30 * 60_000 });
    await expect(a.page.getByTestId('sync-status')).toContainText('nothing waiting', { timeout: 30 * 60_000 });
    const up = { ms: Date.now() - t0, ...traffic(couch.requests.slice(from)) };
    // 2. Down to an empty device.
    from = couch.requests.length;
    t0 = Date.now();
    await turnOnSync(b.page, couch, { user: 'b' });
    await expect.poll(() => count(b.page, 'messages'), { timeout: 30 * 60_000, intervals: [250] }).toBe(messages);
    await expect(b.page.getByTestId('sync-status')).toHaveAttribute('data-status', 'ok');
    const down = { ms: Date.now() - t0, ...traffic(couch.requests.slice(from)) };
    await expect.poll(() => count(b.page, 'chats')).toBe(CHATS);

    // 3. One exchange: a question in an existing chat and the model's answer, both devices live.
    // A reload shows the chats seeded behind the app's back (and resumes sync from the saved key).
    await a.page.reload();
    await a.page.getByTestId('chat-list-item').first().locator('a').click();
    await pickModel(a.page, 'gpt-4o-mini');
    await a.page.waitForTimeout(1500);
    from = couch.requests.length;
    const before = await count(b.page, 'messages');
    await a.page.getByTestId('composer-input').fill('One more question, about the orbit of the kettle planet and its budget.');
    await a.page.getByTestId('composer-send').click();
    await expect.poll(async () => (await stored(b.page)).messages.filter((m) => m.status === 'done').length, { timeout: 60_000 }).toBe(before + 2);
    await a.page.waitForTimeout(2000);
    const after = couch.requests.slice(from).filter((r) => r.method !== 'OPTIONS');
    const docs = (await (await fetch(`${couch.url}/parley/_all_docs?include_docs=true`)).json()) as { rows: Array<{ id: string; doc: object }> };
    const fresh = docs.rows.filter((r) => r.id.startsWith('msg:') && !r.id.startsWith('msg:bench-'));
    const exchange = {
      push: traffic(after.filter((r) => r.user === 'a')),
      pull: traffic(after.filter((r) => r.user === 'b')),
      docBytes: fresh.reduce((n, r) => n + JSON.stringify(r.doc).length, 0),
      requestsList: after.map((r) => `${r.user ?? '?'}: ${r.method} ${r.path.replace(/\?.*/, '')} ↑${r.bytesIn ?? 0} ↓${r.bytesOut ?? 0}`),
    };
    return { chats: CHATS, messages, up, down, exchange, oneMessage: await oneMessage() };
  } finally {
    await a.close();
    await b.close();
    await couch.close();
  }
}

/** Exactly one new message on one device, one round there and one on the other device (node, fake-indexeddb). */
async function oneMessage(): Promise<SyncBench['oneMessage']> {
  const server = await startCouchServer({ ttlMs: 5 * 60_000 });
  const x = await makeDevice(server, 'bench-x');
  const y = await makeDevice(server, 'bench-y');
  try {
    await x.db.chats.put(chat('c1'));
    for (let i = 0; i < 10; i++) await x.db.messages.put(message(`m${i}`, 'c1', { content: 'An earlier message of some length, '.repeat(8) }));
    await x.loop.syncOnce();
    await y.loop.syncOnce();
    await x.loop.syncOnce();
    const content = 'One new message of about six hundred characters. '.repeat(12);
    await x.db.messages.put(message('new', 'c1', { content }));
    let from = server.requests.length;
    await x.loop.syncOnce();
    const push = traffic(server.requests.slice(from));
    from = server.requests.length;
    await y.loop.syncOnce();
    const pull = traffic(server.requests.slice(from));
    const doc = (await (await fetch(`${server.url}/parley/msg:new`)).json()) as object;
    return { push, pull, docBytes: JSON.stringify(doc).length };
  } finally {
    await closeDevices([x, y]);
    await server.close();
  }
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

export function formatSync(r: SyncBench, f: { ms: typeof msFn; table: typeof tableFn; section: typeof sectionFn }): string {
  const row = (what: string, t: { ms?: number } & Traffic) => [what, t.ms === undefined ? '' : f.ms(t.ms), String(t.requests), kb(t.bytesUp), kb(t.bytesDown)];
  return [
    f.section('Sync (CouchDB protocol, in-memory test server, end-to-end encrypted)'),
    f.table(
      ['what', 'time', 'requests', 'bytes up', 'bytes down'],
      [
        row(`first sync up: ${r.chats} chats / ${r.messages} messages to an empty server`, r.up),
        row('first sync down to an empty device (every message stored)', r.down),
        row('one new message (node, one round): the device that wrote it', r.oneMessage.push),
        row('one new message (node, one round): the other device', r.oneMessage.pull),
        row('a question + its answer, live (browser): the asking device', r.exchange.push),
        row('a question + its answer, live (browser): the other device', r.exchange.pull),
      ],
    ),
    `  the new message's document: ${kb(r.oneMessage.docBytes)} (the exchange's two: ${kb(r.exchange.docBytes)}); target for one message: ≤ 3 requests and ≤ 10 KB beyond the message itself`,
    '  the exchange, request by request (user a = asking device, b = the other):',
    ...r.exchange.requestsList.map((l) => `    ${l}`),
  ].join('\n');
}
