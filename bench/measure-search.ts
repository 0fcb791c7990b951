/**
 * Section 8 — search over 10,000 chats / 200,000 messages.
 *
 * Seeding: 10,000 chats of 20 messages (alternating user/assistant, one branch, with their
 * `nodes` rows), written straight into IndexedDB from the page. Each message is 40–80 words
 * drawn from a 20,000-word vocabulary with a Zipf distribution (a few hundred English words
 * first, then generated ones), so common words are in most messages and rare ones in a few.
 * A handful of marker words are planted at known rates to make queries with known answers.
 * - Build: the search field is focused (the search worker starts then); timed until the
 *   status line no longer says "Indexing…". Heap: the search worker's JS heap plus typed-array
 *   buffers after the build and a forced collection, read over the DevTools protocol.
 * - Keystrokes: queries typed one character at a time; each keystroke is timed from the
 *   input event (its timeStamp) to the end of the frame that painted the results for that
 *   exact text (the results carry `data-query`). Median, p95 and max over all keystrokes.
 */

import type { Browser, Page } from '@playwright/test';
import { newBenchPage, openApp } from './driver';
import { median } from './report';

const CHATS = 10_000;
const PER_CHAT = 20;
const QUERIES = ['kettle', 'planet orbit', 'how to deploy', 'zephyrine', 'the model', 'recipe budget rust'];

export interface SearchBench {
  chats: number;
  messages: number;
  seedMs: number;
  buildMs: number;
  workerHeapMB: number | null;
  /** `index`/`read`: the search worker's share of `ms` (matching; reading rows back and cutting snippets). */
  keystrokes: Array<{ typed: string; query: string; ms: number; index: number; read: number; status: string }>;
  median: number;
  p95: number;
  max: number;
}

declare global {
  interface Window {
    __search: { inputAt: number; value: string; paintedAt: number | null; watching: string | null };
  }
}

/** Serialized into the page before the app's scripts: stamps input events and the paint of their results. */
function installSearchWatch(): void {
  const w: Window['__search'] = { inputAt: 0, value: '', paintedAt: null, watching: null };
  window.__search = w;
  document.addEventListener('input', (e) => {
    const t = e.target as HTMLInputElement;
    if (t.dataset?.['testid'] !== 'chat-search') return;
    w.inputAt = e.timeStamp;
    w.value = t.value;
    w.paintedAt = null;
    w.watching = t.value;
  }, true);
  new MutationObserver(() => {
    if (w.watching === null) return;
    const el = document.querySelector('.search-results');
    if (el?.getAttribute('data-query') !== w.watching) return;
    w.watching = null;
    requestAnimationFrame(() => {
      const ch = new MessageChannel();
      ch.port1.onmessage = () => (w.paintedAt = performance.now());
      ch.port2.postMessage(0);
    });
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-query'] });
}

/** Runs in the page: writes the library. Self-contained (serialized by Playwright). */
async function seedLibrary(args: { chats: number; perChat: number }): Promise<number> {
  let a = 424242;
  const rnd = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const common = ('the of and to a in is it you that he was for on are with as I his they be at one have this from or had by hot word but what some we can out other were all there when up use your how said an each she which do their time if will way about many then them write would like so these her long make thing see him two has look more day could go come did number sound no most people my over know water than call first who may down side been now find any new work part take get place made live where after back little only round man year came show every good me give our under name very through just form sentence great think say help low line differ turn cause much mean before move right boy old too same tell does set three want air well also play small end put home read hand port large spell add even land here must big high such follow act why ask men change went light kind off need house picture try us again animal point mother world near build self earth father ' +
    'model prompt deploy cache query index server client token stream answer question code function error bug test build release version branch merge review design plan budget recipe travel trip hotel flight garden music movie book story poem letter email report meeting project team customer market price sale order kettle planet orbit rust python react database network').split(' ');
  const syl = ['ka', 'lo', 'mi', 'ren', 'tor', 'sa', 'vel', 'qu', 'an', 'is', 'ber', 'dex', 'pho', 'lum', 'tri', 'go', 'nel', 'wa', 'zen', 'ix', 'mor', 'tha', 'el', 'pri'];
  const vocab = [...new Set(common)];
  const seen = new Set(vocab);
  while (vocab.length < 20_000) {
    let w = '';
    const n = 2 + Math.floor(rnd() * 3);
    for (let i = 0; i < n; i++) w += syl[Math.floor(rnd() * syl.length)];
    if (!seen.has(w)) {
      seen.add(w);
      vocab.push(w);
    }
  }
  const cum: number[] = [];
  let sum = 0;
  for (let i = 0; i < vocab.length; i++) cum.push((sum += 1 / (i + 1)));
  const word = () => {
    const x = rnd() * sum;
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return vocab[lo]!;
  };
  const sentence = (k: number) => {
    const n = 40 + Math.floor(rnd() * 41);
    const ws: string[] = [];
    for (let i = 0; i < n; i++) ws.push(word());
    // A rare marker word: about one message in 5,000.
    if (k % 4999 === 17) ws.splice(Math.floor(n / 2), 0, 'Zephyrine');
    ws[0] = ws[0]![0]!.toUpperCase() + ws[0]!.slice(1);
    return ws.join(' ') + '.';
  };
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const r = indexedDB.open('parley');
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
  const now = Date.now();
  let k = 0;
  const CHATS_PER_TX = 500;
  for (let c0 = 0; c0 < args.chats; c0 += CHATS_PER_TX) {
    const tx = db.transaction(['chats', 'messages', 'nodes'], 'readwrite');
    for (let c = c0; c < Math.min(args.chats, c0 + CHATS_PER_TX); c++) {
      const chatId = `sc${String(c).padStart(5, '0')}`;
      let parent: string | null = null;
      const t0 = now - c * 60_000;
      for (let i = 0; i < args.perChat; i++) {
        const id = `${chatId}-${String(i).padStart(2, '0')}`;
        const role = i % 2 === 0 ? 'user' : 'assistant';
        const m = { id, chatId, parentId: parent, role, content: sentence(k++), reasoning: '', refusal: '', model: 'gpt-4o-mini', connectionId: '', modelIdx: 0, status: 'done', error: null, finishReason: 'stop', usage: null, metrics: null, attachments: [], createdAt: t0 + i, updatedAt: t0 + i };
        tx.objectStore('messages').put(m);
        tx.objectStore('nodes').put({ id, chatId, parentId: parent, role, modelIdx: 0, model: 'gpt-4o-mini', connectionId: '', createdAt: t0 + i });
        parent = id;
      }
      const title = Array.from({ length: 3 + Math.floor(rnd() * 4) }, word).join(' ');
      tx.objectStore('chats').put({ id: chatId, title, createdAt: t0, updatedAt: t0 + args.perChat, pinned: false, archived: c % 100 === 5, folderId: null, tags: [], currentId: parent, models: ['gpt-4o-mini'], system: '', params: {} });
    }
    await new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
    });
  }
  db.close();
  return k;
}

async function typeTimed(page: Page, query: string): Promise<SearchBench['keystrokes']> {
  const search = page.getByTestId('chat-search');
  await search.fill('');
  const out: SearchBench['keystrokes'] = [];
  for (const ch of query) {
    await page.keyboard.type(ch);
    await page.waitForFunction(() => window.__search.paintedAt !== null, undefined, { timeout: 10_000 });
    const r = await page.evaluate(() => ({
      value: window.__search.value,
      ms: window.__search.paintedAt! - window.__search.inputAt,
      took: document.querySelector('.search-results')?.getAttribute('data-took') ?? '',
      status: document.querySelector('[data-testid="search-status"]')?.textContent ?? '',
    }));
    const [index = NaN, read = NaN] = r.took.split(',').map(Number);
    out.push({ typed: query, query: r.value, ms: r.ms, index, read, status: r.status });
    // About the pace of fast typing.
    await page.waitForTimeout(120);
  }
  return out;
}

/**
 * The search worker's JS heap after a collection, in MB, through the DevTools protocol (a
 * worker has no `performance.memory`): attach to it, collect garbage, read the heap usage.
 */
async function workerHeap(page: Page): Promise<number | null> {
  const session = await page.context().newCDPSession(page);
  try {
    return await new Promise<number | null>((resolve) => {
      setTimeout(() => resolve(null), 20_000);
      session.on('Target.receivedMessageFromTarget', (m) => {
        // usedSize is the JS heap; backingStorageSize adds typed arrays' buffers (the index's lists).
        const r = JSON.parse(m.message) as { id?: number; result?: { usedSize?: number; backingStorageSize?: number } };
        if (r.id === 2) resolve(((r.result?.usedSize ?? 0) + (r.result?.backingStorageSize ?? 0)) / 1e6);
      });
      session.on('Target.attachedToTarget', (e) => {
        if (e.targetInfo.type !== 'worker' || !e.targetInfo.url.includes('search')) return;
        const send = (id: number, method: string) => session.send('Target.sendMessageToTarget', { sessionId: e.sessionId, message: JSON.stringify({ id, method }) });
        void send(1, 'HeapProfiler.collectGarbage').then(() => send(2, 'Runtime.getHeapUsage'));
      });
      void session.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
    });
  } finally {
    await session.detach().catch(() => undefined);
  }
}

export async function measureSearch(browser: Browser, appUrl: string): Promise<SearchBench> {
  const context = await browser.newContext({ baseURL: appUrl });
  try {
    await context.addInitScript(installSearchWatch);
    const page = await newBenchPage(context);
    await openApp(page);
    const s0 = Date.now();
    const messages = await page.evaluate(seedLibrary, { chats: CHATS, perChat: PER_CHAT });
    const seedMs = Date.now() - s0;
    await openApp(page);

    const search = page.getByTestId('chat-search');
    const b0 = Date.now();
    await search.click();
    await search.fill('kettle');
    await page.waitForFunction(() => {
      const t = document.querySelector('[data-testid="search-status"]')?.textContent ?? '';
      return t !== '' && !t.includes('Indexing') && !t.includes('Searching');
    }, undefined, { timeout: 300_000, polling: 50 });
    const buildMs = Date.now() - b0;

    const workerHeapMB = await workerHeap(page);

    const keystrokes: SearchBench['keystrokes'] = [];
    for (const q of QUERIES) keystrokes.push(...(await typeTimed(page, q)));
    const sorted = keystrokes.map((k) => k.ms).sort((x, y) => x - y);
    return {
      chats: CHATS, messages, seedMs, buildMs, workerHeapMB, keystrokes,
      median: median(sorted), p95: sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))] ?? NaN, max: sorted[sorted.length - 1] ?? NaN,
    };
  } finally {
    await context.close();
  }
}

export function formatSearch(r: SearchBench, fmt: { ms: (x: number, d?: number) => string; table: (h: readonly string[], rows: ReadonlyArray<readonly string[]>) => string; section: (t: string) => string }): string {
  const TARGET_MS = 100;
  const perQuery = QUERIES.map((q) => {
    const ks = r.keystrokes.filter((k) => k.typed === q);
    const last = ks.at(-1);
    const times = ks.map((k) => k.ms);
    return [`"${q}"`, fmt.ms(median(times)), fmt.ms(Math.max(...times)), last?.status ?? ''];
  });
  const worker = (key: 'index' | 'read') => {
    const xs = r.keystrokes.map((k) => k[key]).filter((x) => !Number.isNaN(x)).sort((x, y) => x - y);
    return `median ${fmt.ms(median(xs), 1)}, max ${fmt.ms(xs.at(-1) ?? NaN, 1)}`;
  };
  return [
    fmt.section(`8. Search over ${r.chats.toLocaleString('en-US')} chats / ${r.messages.toLocaleString('en-US')} messages`),
    `  seeding IndexedDB: ${fmt.ms(r.seedMs)}; index built in the search worker (focus → status ready): ${fmt.ms(r.buildMs)}; ` +
      `search worker heap after build and GC: ${r.workerHeapMB === null ? 'n/a' : `${r.workerHeapMB.toFixed(0)} MB`}`,
    fmt.table(['query (typed char by char)', 'median', 'max', 'final results'], perQuery),
    `  per keystroke (input event → results painted), ${r.keystrokes.length} keystrokes: median ${fmt.ms(r.median)}, p95 ${fmt.ms(r.p95)}, max ${fmt.ms(r.max)}; ` +
      `target ≤ ${TARGET_MS} ms: ${r.p95 <= TARGET_MS ? 'within' : 'OVER'} (p95)`,
    `  of which in the search worker: matching in the index ${worker('index')}; reading rows back and cutting snippets ${worker('read')}`,
  ].join('\n');
}
