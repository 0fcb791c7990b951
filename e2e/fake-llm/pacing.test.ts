import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { DEFAULT_FIXTURES_DIR, Splitter } from './server';
import { chatBody, concat, contentOf, llm, ndjson, openAiChunks, post, prefixed, readChunks, useFakeLlm } from './test-helpers';
import { tokenize } from './tokens';

useFakeLlm();

describe('pacing, splitting, delays', () => {
  it('tokensPerSecond paces the deltas (20 tokens at 100 tok/s take >= 150 ms)', async () => {
    const reply = Array.from({ length: 20 }, (_, i) => ` w${'abcdefghijklmnopqrst'[i]}`).join('');
    expect(tokenize(reply)).toHaveLength(20);
    llm.queue({ reply, tokensPerSecond: 100 });
    const t0 = performance.now();
    const res = await post('/v1/chat/completions', chatBody('x'));
    const chunks = await readChunks(res);
    const elapsed = performance.now() - t0;
    expect(elapsed).toBeGreaterThanOrEqual(150);
    expect(chunks.length).toBeGreaterThan(5); // flushed per delta, not at the end
    expect(contentOf(openAiChunks(concat(chunks).toString('utf8')).chunks)).toBe(reply);
  });

  it('split: "odd" delivers the identical bytes of a fixture in many pieces', async () => {
    const name = 'openai-text-include-usage';
    const expected = readFileSync(path.join(DEFAULT_FIXTURES_DIR, 'streams', `${name}.txt`));
    const res = await fetch(llm.url + prefixed({ fixture: name, split: 'odd' }, '/v1/chat/completions'), { method: 'POST', body: '{}' });
    const chunks = await readChunks(res);
    expect(concat(chunks).equals(expected)).toBe(true);
    expect(chunks.length).toBeGreaterThan(10);
  });

  it('split cuts inside multi-byte UTF-8 characters, mid-line and between CR and LF', () => {
    const buf = Buffer.from('data: {"content":"é世🎉"}\r\n\r\n', 'utf8');
    const pieces = new Splitter('odd').cut(buf);
    expect(Buffer.concat(pieces).equals(buf)).toBe(true);
    const decoder = (b: Buffer): boolean => {
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(b);
        return true;
      } catch {
        return false;
      }
    };
    expect(pieces.some((p) => !decoder(p))).toBe(true); // some piece ends inside a character
    expect(pieces.some((p) => p[p.length - 1] === 0x0d)).toBe(true); // CR | LF
    expect(new Splitter(4).cut(buf).every((p, i, all) => p.length === 4 || i === all.length - 1)).toBe(true);
  });

  it('split with a generated stream and with pacing still reassembles to the reply', async () => {
    const reply = 'Ünïcödé 日本語 🎉🎉 — done.';
    llm.queue({ reply, split: 3 });
    llm.queue({ reply, split: 'odd', tokensPerSecond: 500 });
    const a = await readChunks(await post('/v1/chat/completions', chatBody('x')));
    expect(contentOf(openAiChunks(concat(a).toString('utf8')).chunks)).toBe(reply);
    expect(a.length).toBeGreaterThan(3);
    const b = await readChunks(await post('/api/chat', { model: 'qwen3:0.6b', messages: [] }));
    const lines = ndjson(concat(b).toString('utf8'));
    expect(lines.slice(0, -1).map((l) => (l['message'] as { content: string }).content).join('')).toBe(reply);
  });

  it('delayMs waits before the response headers', async () => {
    llm.queue({ delayMs: 120 });
    const t0 = performance.now();
    const res = await post('/v1/chat/completions', chatBody('x'));
    expect(performance.now() - t0).toBeGreaterThanOrEqual(100);
    await res.text();
  });
});
