/**
 * Section 5 — a 1,000-message chat: opening it by its address, scrolling it, regenerating in it.
 *
 * Seeding: one chat of 500 question/answer pairs in one branch (parentId chain, currentId = the
 * last answer), the answers a deterministic mix of prose, lists, tables and fenced code of
 * varying length, plus an OpenAI-kind connection to the fake server, written straight into
 * IndexedDB (raw API, as in measure-models) from a first page of a fresh context, then closed.
 * - Open: a new page of that context goes to `/c/<id>` (cold: first open in that page; the HTTP
 *   cache holds the app from the seeding page), then a reload (warm); three contexts, medians.
 *   Last answer painted = an init-script MutationObserver sees text in the last answer's
 *   message-content, then waits for frames until the message is inside the `.messages` viewport
 *   and stamps the end of that frame (rAF + a message-channel task). Interactive = the later of
 *   that and the probe's composer-ready frame, pushed past any long task running at that moment.
 *   Long tasks: all of them from navigation start until 1 s after interactive.
 * - Scroll: `.messages` scrolled by 200 px per animation frame to the top (waiting there while
 *   older messages load, until the first message is in the DOM) and back to the bottom. Dropped
 *   frames: rAF gaps > 1.5 × 16.7 ms (each counted as round(gap / 16.7) − 1 frames). Jumps: the
 *   message in mid-view moved by more than 2 px beyond the scroll applied in that frame.
 * - Regenerate: the last answer's regenerate button clicked in the page (timestamped there);
 *   the fake server streams a ~300-token answer at 200 tokens/s. Times from the click to the new
 *   message element, to its first text (and the frame after), and to data-status="done". Once
 *   after the scroll (every message in the DOM) and once right after a reload.
 */

import type { Browser, Page } from '@playwright/test';
import type { FakeLlm } from '../e2e/fake-llm/server';
import { newBenchPage, openApp, readProbe, type LongTask } from './driver';
import { median } from './report';
import { mulberry32 as prng } from '../src/core/seeded-random';

export const [CHAT_ID, CONN_ID, MODEL] = ['bench-long-chat', 'c-bench-long', 'gpt-4o-mini'];
const [PAIRS, RUNS, FRAME] = [500, 3, 1000 / 60];

export interface OpenTimes {
  /** The last answer's text in the DOM; the end of the first frame with it in view. */
  lastContentMs: number;
  lastPaintMs: number;
  interactiveMs: number;
  composerMs: number;
  longTaskTotalMs: number;
  longTaskCount: number;
  longTaskMaxMs: number;
  domMessages: number;
  lastInView: boolean;
}
export interface ScrollResult {
  reachedTop: boolean;
  reachedBottom: boolean;
  upMs: number;
  downMs: number;
  frames: number;
  longGaps: number;
  droppedFrames: number;
  maxGapMs: number;
  jumps: number;
  maxJumpPx: number;
  domAtTop: number;
  heightAtTop: number;
  longTaskTotalMs: number;
  longTaskCount: number;
}
export interface RegenTimes {
  domMessages: number;
  newMessageMs: number | null;
  firstTokenMs: number | null;
  firstTokenPaintMs: number | null;
  doneMs: number | null;
  longTaskTotalMs: number;
}
export interface LongChatResult {
  messages: number;
  chars: number;
  cold: OpenTimes[];
  warm: OpenTimes[];
  median: { cold: OpenTimes; warm: OpenTimes };
  scroll: ScrollResult;
  regenAfterScroll: RegenTimes;
  regenAfterOpen: RegenTimes;
}

// ---------------------------------------------------------------------------------------------
// Deterministic chat content

const WORDS = ('the a of to and in is that for it with on by this are from or which can each model stream token request response ' +
  'latency buffer parser server client message context window index cache worker render block branch history prompt reply chunk ' +
  'event state offline storage database sync network timeout retry quickly usually carefully incremental efficient local remote').split(' ');
const CODE: Record<string, string[]> = {
  ts: ['const reader = body.getReader();', 'const decoder = new TextDecoder();', "let buffer = '';", 'for (;;) {', '  const { value, done } = await reader.read();',
    '  if (done) break;', '  buffer += decoder.decode(value, { stream: true });', '}', 'export function total(xs: number[]): number {', '  return xs.reduce((a, b) => a + b, 0);'],
  python: ['import json', 'def parse(lines):', '    for raw in lines:', '        line = raw.strip()', '        if line.startswith("data:"):', '            yield json.loads(line[5:])',
    'class Usage:', '    prompt_tokens: int = 0', 'print(f"{total} tokens")', 'return usage.completion_tokens / elapsed'],
  sql: ['CREATE TABLE messages (', '  id TEXT PRIMARY KEY,', '  chat_id TEXT NOT NULL,', '  created_at INTEGER', ');', 'SELECT id, content FROM messages', 'WHERE chat_id = ?',
    'ORDER BY created_at DESC', 'LIMIT 40;', 'CREATE INDEX by_chat ON messages (chat_id, created_at);'],
  bash: ['set -euo pipefail', 'npm ci', 'npm run build', 'curl -sN "$URL/v1/chat/completions" \\', '  -H "Content-Type: application/json" \\', "  -d '{\"stream\": true}'",
    'for f in dist/*.js; do gzip -c "$f" | wc -c; done', 'echo done'],
};

function chatText(seed: number) {
  const r = prng(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const words = (n: number) => Array.from({ length: n }, () => WORDS[int(0, WORDS.length - 1)]).join(' ');
  const sentence = (end = '.') => { const s = words(int(6, 18)); return s[0]!.toUpperCase() + s.slice(1) + end; };
  const para = () => Array.from({ length: int(2, 5) }, () => sentence()).join(' ');
  const list = (ordered: boolean) => Array.from({ length: int(3, 6) }, (_, i) => `${ordered ? `${i + 1}.` : '-'} ${sentence()}${r() < 0.3 ? ` Use \`${words(1)}\`.` : ''}`).join('\n');
  const table = () => {
    const cols = int(3, 4);
    const row = () => `| ${Array.from({ length: cols }, () => (r() < 0.4 ? String(int(1, 9999)) : words(int(1, 3)))).join(' | ')} |`;
    return [row(), `|${' --- |'.repeat(cols)}`, ...Array.from({ length: int(3, 8) }, row)].join('\n');
  };
  const code = () => {
    const langs = Object.keys(CODE);
    const lang = langs[int(0, langs.length - 1)]!;
    const pool = CODE[lang]!;
    return ['```' + lang, ...Array.from({ length: int(4, 30) }, () => pool[int(0, pool.length - 1)]), '```'].join('\n');
  };
  const size = r();
  const blocks = size < 0.55 ? int(1, 3) : size < 0.9 ? int(3, 6) : int(6, 12);
  const parts = [para()];
  for (let i = 1; i < blocks; i++) {
    const k = r();
    parts.push(k < 0.45 ? para() : k < 0.55 ? list(true) : k < 0.65 ? list(false) : k < 0.77 ? table() : code());
  }
  return { question: Array.from({ length: int(1, 2) }, () => sentence('?')).join(' '), answer: parts.join('\n\n') + '\n' };
}

export function seedRecords(llmUrl: string) {
  const t0 = Date.UTC(2025, 0, 1);
  const base = { reasoning: '', refusal: '', modelIdx: 0, status: 'done', error: null, usage: null, metrics: null, attachments: [] };
  const messages: Array<Record<string, unknown>> = [];
  let parentId: string | null = null;
  for (let i = 0; i < PAIRS; i++) {
    const { question, answer } = chatText(i + 1);
    const at = t0 + i * 60_000;
    const q = `m${String(2 * i).padStart(4, '0')}`;
    const a = `m${String(2 * i + 1).padStart(4, '0')}`;
    messages.push({ ...base, id: q, chatId: CHAT_ID, parentId, role: 'user', content: question, model: '', connectionId: '', finishReason: null, createdAt: at, updatedAt: at });
    messages.push({ ...base, id: a, chatId: CHAT_ID, parentId: q, role: 'assistant', content: answer, model: MODEL, connectionId: CONN_ID, finishReason: 'stop', createdAt: at + 1, updatedAt: at + 1 });
    parentId = a;
  }
  const last = t0 + PAIRS * 60_000;
  const chat = { id: CHAT_ID, title: 'A 1,000-message chat', createdAt: t0, updatedAt: last, pinned: false, archived: false, folderId: null, tags: [], currentId: parentId, models: [MODEL], system: '', params: {} };
  const connection = { id: CONN_ID, kind: 'openai', name: 'Fake', url: `${llmUrl}/v1`, key: '', enabled: true, modelIds: [], prefixId: '', tags: [], headers: {}, authType: 'bearer', azure: false, apiVersion: '', timeoutMs: 10_000, createdAt: t0, updatedAt: t0 };
  return { chat, connection, messages, firstId: messages[0]!.id as string, lastId: parentId! };
}

export async function seed(page: Page, recs: ReturnType<typeof seedRecords>): Promise<void> {
  await page.evaluate(async ({ chat, connection, messages }) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open('parley');
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    const withNodes = db.objectStoreNames.contains('nodes');
    const tx = db.transaction(['connections', 'chats', 'messages', ...(withNodes ? ['nodes'] : [])], 'readwrite');
    tx.objectStore('connections').put(connection);
    tx.objectStore('chats').put(chat);
    const store = tx.objectStore('messages');
    // Each message and its node, as the app writes them (src/core/storage/message-rows.ts).
    const nodes = withNodes ? tx.objectStore('nodes') : null;
    for (const m of messages) {
      store.put(m);
      nodes?.put({ id: m['id'], chatId: m['chatId'], parentId: m['parentId'], role: m['role'], modelIdx: m['modelIdx'], model: m['model'], connectionId: m['connectionId'], createdAt: m['createdAt'] });
    }
    await new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
    });
    db.close();
  }, recs);
}

// ---------------------------------------------------------------------------------------------
// In-page watch (init script, self-contained)

interface Watch {
  contentAt: number | null;
  paintedAt: number | null;
  inView: boolean;
  regen: { baseline: string; clickAt: number; newAt: number | null; tokenAt: number | null; tokenPaintedAt: number | null; doneAt: number | null } | null;
}
declare global {
  interface Window {
    __longChat: Watch;
  }
}

function installLongChatWatch(lastId: string): void {
  const w: Watch = { contentAt: null, paintedAt: null, inView: false, regen: null };
  window.__longChat = w;
  const afterFrame = (cb: (t: number) => void) =>
    requestAnimationFrame(() => {
      const ch = new MessageChannel();
      ch.port1.onmessage = () => cb(performance.now());
      ch.port2.postMessage(0);
    });
  const inView = (el: Element | null): boolean => {
    const s = document.querySelector('.messages');
    if (!el || !s) return false;
    const a = el.getBoundingClientRect();
    const b = s.getBoundingClientRect();
    return a.bottom > b.top && a.top < b.bottom && a.height > 0;
  };
  const lastMsg = `[data-testid="message"][data-message-id="${lastId}"]`;
  const untilInView = (tries: number): void => {
    requestAnimationFrame(() => {
      if (inView(document.querySelector(lastMsg)) || tries <= 0) {
        w.inView = tries > 0;
        afterFrame((t) => (w.paintedAt = t));
      } else untilInView(tries - 1);
    });
  };
  new MutationObserver(() => {
    const now = performance.now();
    if (w.contentAt === null && (document.querySelector(`${lastMsg} [data-testid="message-content"]`)?.textContent ?? '') !== '') {
      w.contentAt = now;
      untilInView(600);
    }
    const g = w.regen;
    if (g && g.doneAt === null) {
      // The new answer is the chat's last message, in its last slot (earlier answers stay in the DOM).
      const slots = document.querySelectorAll('.msg-slot');
      const el = slots[slots.length - 1]?.querySelector('[data-testid="message"][data-role="assistant"]');
      if (!el || el.getAttribute('data-message-id') === g.baseline) return;
      g.newAt ??= now;
      if (g.tokenAt === null && (el.querySelector('[data-testid="message-content"]')?.textContent ?? '') !== '') {
        g.tokenAt = now;
        afterFrame((t) => (g.tokenPaintedAt = t));
      }
      if (el.getAttribute('data-status') === 'done') g.doneAt = now;
    }
  }).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
}

// ---------------------------------------------------------------------------------------------
// Measurements

const longSum = (ts: LongTask[]) => ts.reduce((s, t) => s + t.duration, 0);

async function openTimes(page: Page): Promise<OpenTimes> {
  await page.waitForFunction(() => window.__longChat.paintedAt !== null && window.__bench.composerFrameAt !== null, undefined, { timeout: 60_000, polling: 50 });
  // Long-task entries arrive after their task: wait for 1 s without one.
  await page.waitForFunction(() => {
    const ends = window.__bench.longTasks.map((t) => t.start + t.duration);
    return performance.now() - Math.max(window.__longChat.paintedAt!, window.__bench.composerFrameAt!, ...ends) >= 1000;
  }, undefined, { timeout: 60_000, polling: 100 });
  const probe = await readProbe(page);
  const w = await page.evaluate(() => ({ ...window.__longChat, dom: document.querySelectorAll('[data-testid="message"]').length }));
  let t = Math.max(w.paintedAt!, probe.composerFrameAt!);
  const tasks = [...probe.longTasks].sort((a, b) => a.start - b.start);
  for (const lt of tasks) if (lt.start <= t && lt.start + lt.duration > t) t = lt.start + lt.duration;
  return {
    lastContentMs: w.contentAt!,
    lastPaintMs: w.paintedAt!,
    interactiveMs: t,
    composerMs: probe.composerFrameAt!,
    longTaskTotalMs: longSum(tasks),
    longTaskCount: tasks.length,
    longTaskMaxMs: tasks.reduce((m, x) => Math.max(m, x.duration), 0),
    domMessages: w.dom,
    lastInView: w.inView,
  };
}

async function scrollThrough(page: Page, firstId: string): Promise<ScrollResult> {
  const start = await page.evaluate(async () => {
    const s = document.querySelector<HTMLElement>('.messages')!;
    s.scrollTop = s.scrollHeight;
    await new Promise((r) => setTimeout(r, 500));
    return performance.now();
  });
  const r = await page.evaluate(async ({ firstId, limitMs, step }) => {
    const s = document.querySelector<HTMLElement>('.messages')!;
    const frame = () => new Promise<number>((res) => requestAnimationFrame(res));
    const stamps: number[] = [];
    let jumps = 0;
    let maxJump = 0;
    const anchor = (): { el: Element; top: number } | null => {
      const b = s.getBoundingClientRect();
      const y = (b.top + b.bottom) / 2;
      for (const el of s.querySelectorAll('[data-testid="message"]')) {
        const a = el.getBoundingClientRect();
        if (a.top <= y && a.bottom >= y) return { el, top: a.top };
      }
      return null;
    };
    const phase = async (dir: -1 | 1, done: () => boolean) => {
      const t0 = performance.now();
      stamps.push(await frame());
      while (!done() && performance.now() - t0 < limitMs) {
        const a = anchor();
        const before = s.scrollTop;
        s.scrollBy(0, dir * step);
        const applied = s.scrollTop - before;
        stamps.push(await frame());
        if (a && a.el.isConnected) {
          const off = Math.abs(a.el.getBoundingClientRect().top - a.top + applied);
          if (off > 2) { jumps++; maxJump = Math.max(maxJump, off); }
        }
      }
      return { ok: done(), ms: performance.now() - t0 };
    };
    const first = () => document.querySelector('[data-testid="message"]')?.getAttribute('data-message-id');
    const up = await phase(-1, () => s.scrollTop <= 0 && first() === firstId && !document.querySelector('[data-testid="messages-older"]'));
    const domAtTop = document.querySelectorAll('[data-testid="message"]').length;
    const heightAtTop = s.scrollHeight;
    const down = await phase(1, () => s.scrollTop + s.clientHeight >= s.scrollHeight - 1);
    return { up, down, stamps, jumps, maxJump, domAtTop, heightAtTop };
  }, { firstId, limitMs: 120_000, step: 200 });
  const gaps = r.stamps.slice(1).map((t, i) => t - r.stamps[i]!);
  const long = gaps.filter((g) => g > 1.5 * FRAME);
  const tasks = (await readProbe(page)).longTasks.filter((t) => t.start >= start);
  return {
    reachedTop: r.up.ok, reachedBottom: r.down.ok, upMs: r.up.ms, downMs: r.down.ms, frames: r.stamps.length,
    longGaps: long.length, droppedFrames: long.reduce((n, g) => n + Math.round(g / FRAME) - 1, 0), maxGapMs: Math.max(0, ...gaps),
    jumps: r.jumps, maxJumpPx: r.maxJump, domAtTop: r.domAtTop, heightAtTop: r.heightAtTop,
    longTaskTotalMs: longSum(tasks), longTaskCount: tasks.length,
  };
}

async function regenerate(page: Page, llm: FakeLlm): Promise<RegenTimes> {
  llm.queue({ reply: chatText(9999).answer, tokensPerSecond: 200 });
  const clickAt = await page.evaluate(async () => {
    await new Promise((r) => setTimeout(r, 300));
    const all = document.querySelectorAll('[data-testid="message"][data-role="assistant"]');
    const last = all[all.length - 1]!;
    const btn = last.querySelector<HTMLButtonElement>('[data-testid="message-regenerate"]');
    if (!btn) throw new Error('no regenerate button on the last answer');
    const at = performance.now();
    window.__longChat.regen = { baseline: last.getAttribute('data-message-id') ?? '', clickAt: at, newAt: null, tokenAt: null, tokenPaintedAt: null, doneAt: null };
    btn.click();
    return at;
  });
  await page.waitForFunction(() => window.__longChat.regen?.doneAt != null, undefined, { timeout: 60_000, polling: 100 }).catch(() => undefined);
  await page.waitForTimeout(300);
  const g = await page.evaluate(() => ({ ...window.__longChat.regen!, dom: document.querySelectorAll('[data-testid="message"]').length }));
  const rel = (x: number | null) => (x === null ? null : x - clickAt);
  const tasks = (await readProbe(page)).longTasks.filter((t) => t.start >= clickAt && (g.doneAt === null || t.start <= g.doneAt));
  return { domMessages: g.dom, newMessageMs: rel(g.newAt), firstTokenMs: rel(g.tokenAt), firstTokenPaintMs: rel(g.tokenPaintedAt), doneMs: rel(g.doneAt), longTaskTotalMs: longSum(tasks) };
}

function medianOpen(xs: OpenTimes[]): OpenTimes {
  const m = (f: (o: OpenTimes) => number) => median(xs.map(f));
  return {
    lastContentMs: m((o) => o.lastContentMs), lastPaintMs: m((o) => o.lastPaintMs), interactiveMs: m((o) => o.interactiveMs), composerMs: m((o) => o.composerMs),
    longTaskTotalMs: m((o) => o.longTaskTotalMs), longTaskCount: m((o) => o.longTaskCount), longTaskMaxMs: m((o) => o.longTaskMaxMs),
    domMessages: m((o) => o.domMessages), lastInView: xs.every((o) => o.lastInView),
  };
}

export async function measureLongChat(browser: Browser, appUrl: string, llm: FakeLlm): Promise<LongChatResult> {
  const recs = seedRecords(llm.url);
  const cold: OpenTimes[] = [];
  const warm: OpenTimes[] = [];
  let scroll: ScrollResult | undefined;
  let regenAfterScroll: RegenTimes | undefined;
  let regenAfterOpen: RegenTimes | undefined;
  for (let run = 0; run < RUNS; run++) {
    const context = await browser.newContext({ baseURL: appUrl, serviceWorkers: 'block' });
    try {
      const seeder = await newBenchPage(context);
      await context.addInitScript(installLongChatWatch, recs.lastId);
      await openApp(seeder);
      await seed(seeder, recs);
      await seeder.close();
      const page = await context.newPage();
      page.setDefaultTimeout(30_000);
      await page.goto(`/c/${CHAT_ID}`);
      cold.push(await openTimes(page));
      await page.reload();
      warm.push(await openTimes(page));
      if (run === RUNS - 1) {
        scroll = await scrollThrough(page, recs.firstId);
        regenAfterScroll = await regenerate(page, llm);
        await page.reload();
        // The branch now ends in the regenerated answer, not the seeded last one.
        await page.waitForFunction(() => {
          const all = document.querySelectorAll('[data-testid="message"][data-role="assistant"]');
          return window.__bench.composerFrameAt !== null && (all[all.length - 1]?.textContent ?? '') !== '';
        }, undefined, { timeout: 60_000, polling: 100 });
        await page.waitForTimeout(1000);
        regenAfterOpen = await regenerate(page, llm);
      }
    } finally {
      await context.close();
    }
  }
  return {
    messages: recs.messages.length,
    chars: recs.messages.reduce((n, m) => n + String(m['content']).length, 0),
    cold,
    warm,
    median: { cold: medianOpen(cold), warm: medianOpen(warm) },
    scroll: scroll!,
    regenAfterScroll: regenAfterScroll!,
    regenAfterOpen: regenAfterOpen!,
  };
}
