/**
 * Section 7 — import throughput: a generated Open WebUI export of 1,000 chats (20 messages each,
 * branches included) imported through the real UI path (Settings › Chats & data › Import, the
 * data worker streaming the file, one transaction). Timed in the page from the file input's
 * `change` event to the report appearing; then the same file again (everything is recognised as
 * already imported: reading and validating without writes). Also the longest long task on the
 * UI thread while importing (the work runs in the worker, so it should stay short).
 * With BENCH_IMPORT_BIG_MB, a file of that size too, with the browser's peak resident memory
 * (all Chromium processes, sampled every 250 ms by `ps`) to show it stays well under the file's size × a few.
 */

import { execFileSync } from 'node:child_process';
import { writeFileSync, unlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { newBenchPage, openApp, readProbe } from './driver';

/** BENCH_IMPORT_BIG_MB: also import a generated file of about this size (e.g. 200), from disk. 0 = skip. */
const BIG_MB = Number(process.env.BENCH_IMPORT_BIG_MB ?? 0);

const CHATS = 1_000;
const MESSAGES_PER_CHAT = 20;

export interface ImportRun {
  ms: number;
  report: string;
  longTaskMaxMs: number;
}
export interface ImportResult {
  chats: number;
  messages: number;
  bytes: number;
  first: ImportRun;
  again: ImportRun;
  big: (ImportRun & { bytes: number; chats: number; messages: number; rssBeforeMB: number; rssPeakMB: number }) | null;
}

/** An Open WebUI export as Open WebUI writes it: rows with `chat.history.messages`, seconds. */
export function generateExport(chats = CHATS, perChat = MESSAGES_PER_CHAT, prefix = 'bench'): { text: string; messages: number } {
  const rows: unknown[] = [];
  let count = 0;
  const t0 = 1_700_000_000;
  for (let c = 0; c < chats; c++) {
    const messages: Record<string, unknown> = {};
    let parent: string | null = null;
    for (let i = 0; i < perChat; i++) {
      const id = `${prefix}-${c}-${i}`;
      const role = i % 2 === 0 ? 'user' : 'assistant';
      // Every fifth answer gets a sibling (a regenerated answer), so the tree has branches.
      const pid: string | null = i % 5 === 4 ? (messages[`${prefix}-${c}-${i - 2}`] ? `${prefix}-${c}-${i - 2}` : parent) : parent;
      messages[id] = {
        id, parentId: pid, childrenIds: [], role,
        content: `${role === 'user' ? 'Question' : 'Answer'} ${i} of chat ${c}: ` + 'lorem ipsum dolor sit amet, consectetur adipiscing elit. '.repeat(8),
        timestamp: t0 + c * 100 + i,
        ...(role === 'assistant' ? { model: 'bench-model', modelIdx: 0, done: true, usage: { total_tokens: 100 + i } } : { models: ['bench-model'] }),
      };
      if (pid) (messages[pid] as { childrenIds: string[] }).childrenIds.push(id);
      parent = id;
      count++;
    }
    rows.push({
      id: `${prefix}-chat-${c}`, user_id: 'u', title: `Bench chat ${c}`,
      chat: { id: `${prefix}-chat-${c}`, title: `Bench chat ${c}`, models: ['bench-model'], params: {}, history: { currentId: parent, messages }, messages: [], tags: [], timestamp: (t0 + c * 100) * 1000 },
      meta: { tags: c % 10 === 0 ? ['bench'] : [] }, pinned: false, archived: false, folder_id: null, share_id: null,
      created_at: t0 + c * 100, updated_at: t0 + c * 100 + perChat,
    });
  }
  return { text: JSON.stringify(rows), messages: count };
}

async function runImport(page: Page, file: Buffer | string): Promise<ImportRun> {
  await page.evaluate(() => {
    const w = window as unknown as { __imp: { start: number; end: number } };
    w.__imp = { start: 0, end: 0 };
    window.__bench.longTasks.length = 0;
    const input = document.querySelector('[data-testid="import-file"]')!;
    input.addEventListener('change', () => (w.__imp.start = performance.now()), { once: true });
    document.querySelector('[data-testid="import-report"]')?.remove();
    const obs = new MutationObserver(() => {
      if (document.querySelector('[data-testid="import-report"]')) {
        w.__imp.end = performance.now();
        obs.disconnect();
      }
    });
    obs.observe(document.body, { subtree: true, childList: true });
  });
  await page.getByTestId('import-file').setInputFiles(typeof file === 'string' ? file : { name: 'bench-export.json', mimeType: 'application/json', buffer: file });
  await page.waitForFunction(() => (window as unknown as { __imp: { end: number } }).__imp.end > 0, undefined, { timeout: 600_000 });
  const t = await page.evaluate(() => (window as unknown as { __imp: { start: number; end: number } }).__imp);
  const probe = await readProbe(page);
  const during = probe.longTasks.filter((l) => l.start >= t.start && l.start <= t.end);
  return {
    ms: t.end - t.start,
    report: (await page.getByTestId('import-report').textContent()) ?? '',
    longTaskMaxMs: Math.max(0, ...during.map((l) => l.duration)),
  };
}

export async function measureImport(browser: Browser, appUrl: string): Promise<ImportResult> {
  const { text, messages } = generateExport();
  const buffer = Buffer.from(text);
  const context = await browser.newContext({ baseURL: appUrl });
  try {
    const page = await newBenchPage(context);
    await openApp(page);
    await page.getByTestId('settings-open').click();
    await page.getByTestId('import-file').waitFor();
    const first = await runImport(page, buffer);
    const again = await runImport(page, buffer);
    return { chats: CHATS, messages, bytes: buffer.byteLength, first, again, big: BIG_MB > 0 ? await bigImport(page) : null };
  } finally {
    await context.close();
  }
}

/** Resident memory of every Chromium process, in MB. */
function chromiumRssMB(): number {
  try {
    const out = execFileSync('ps', ['-C', 'chromium', '-o', 'rss='], { encoding: 'utf8' });
    return out.split('\n').reduce((n, l) => n + (Number(l.trim()) || 0), 0) / 1024;
  } catch {
    return 0;
  }
}

async function bigImport(page: Page): Promise<NonNullable<ImportResult['big']>> {
  // About 13.2 KB per generated chat of 20 messages.
  const chats = Math.round((BIG_MB * 1024 * 1024) / 13_850);
  const { text, messages } = generateExport(chats, MESSAGES_PER_CHAT, 'big');
  const file = path.join(os.tmpdir(), `parley-bench-import-${process.pid}.json`);
  writeFileSync(file, text);
  const bytes = Buffer.byteLength(text);
  try {
    const rssBeforeMB = chromiumRssMB();
    let rssPeakMB = rssBeforeMB;
    const timer = setInterval(() => (rssPeakMB = Math.max(rssPeakMB, chromiumRssMB())), 250);
    try {
      const run = await runImport(page, file);
      return { ...run, bytes, chats, messages, rssBeforeMB, rssPeakMB };
    } finally {
      clearInterval(timer);
    }
  } finally {
    unlinkSync(file);
  }
}

export function formatImport(r: ImportResult, fmt: { ms: (x: number, d?: number) => string; table: (h: readonly string[], rows: ReadonlyArray<readonly string[]>) => string; section: (t: string) => string }): string {
  const mb = r.bytes / (1024 * 1024);
  const row = (name: string, x: ImportRun) => [name, fmt.ms(x.ms), (r.chats / (x.ms / 1000)).toFixed(0), (r.messages / (x.ms / 1000)).toFixed(0), (mb / (x.ms / 1000)).toFixed(1), fmt.ms(x.longTaskMaxMs)];
  return [
    fmt.section(`7. Import of a ${r.chats.toLocaleString('en-US')}-chat Open WebUI export (${r.messages.toLocaleString('en-US')} messages, ${mb.toFixed(1)} MB) through Settings › Import`),
    fmt.table(['run', 'time', 'chats/s', 'messages/s', 'MB/s', 'longest UI long task'], [row('first import (writes everything)', r.first), row('same file again (all already imported)', r.again)]),
    `  reports: “${r.first.report}” / “${r.again.report}”`,
    ...(r.big
      ? [
          `  big file: ${(r.big.bytes / 1048576).toFixed(0)} MB (${r.big.chats.toLocaleString('en-US')} chats, ${r.big.messages.toLocaleString('en-US')} messages) in ${fmt.ms(r.big.ms)} = ${(r.big.bytes / 1048576 / (r.big.ms / 1000)).toFixed(1)} MB/s, ` +
            `${(r.big.messages / (r.big.ms / 1000)).toFixed(0)} messages/s; Chromium resident memory ${r.big.rssBeforeMB.toFixed(0)} MB before, peak ${r.big.rssPeakMB.toFixed(0)} MB; longest UI long task ${fmt.ms(r.big.longTaskMaxMs)}`,
          `  “${r.big.report}”`,
        ]
      : []),
  ].join('\n');
}
