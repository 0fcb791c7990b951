/** Shared by the fake-llm tests: one server per test file, request helpers and stream parsers. */

import { afterAll, beforeAll, beforeEach, expect } from 'vitest';

import { startFakeLlm, type FakeLlm } from './server';
import { scenarioPrefix, type Scenario } from './scenario';

/** The test file's server (a live binding: set by useFakeLlm's beforeAll). */
export let llm: FakeLlm;
export const ORIGIN = 'http://127.0.0.1:4317';

/** Start a server before the file's tests, close it after them, reset it before each test. */
export function useFakeLlm(): void {
  beforeAll(async () => {
    llm = await startFakeLlm({ port: 0 });
  });
  afterAll(async () => {
    await llm.close();
  });
  beforeEach(() => {
    llm.reset();
  });
}

export type JsonObject = Record<string, unknown>;

export function post(p: string, body: unknown, headers: Record<string, string> = {}, signal?: AbortSignal): Promise<Response> {
  return fetch(llm.url + p, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    signal,
  });
}

export function chatBody(text: string, extra: JsonObject = {}): JsonObject {
  return { model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: text }], ...extra };
}

/** SSE events' data payloads (spec-ish: blank line dispatches; multiple data lines joined). */
export function sseData(text: string): string[] {
  const out: string[] = [];
  for (const block of text.split(/\r\n\r\n|\n\n|\r\r/)) {
    const data = block
      .split(/\r\n|\n|\r/)
      .filter((l) => l.startsWith('data:'))
      .map((l) => l.slice(5).replace(/^ /, ''));
    if (data.length > 0) out.push(data.join('\n'));
  }
  return out;
}

export interface Chunk {
  choices: Array<{ index: number; delta: JsonObject; finish_reason: string | null; logprobs: null }>;
  usage?: JsonObject | null;
  object: string;
  id: string;
  model: string;
}

export function openAiChunks(text: string): { chunks: Chunk[]; done: boolean; errors: JsonObject[] } {
  const chunks: Chunk[] = [];
  const errors: JsonObject[] = [];
  let done = false;
  for (const d of sseData(text)) {
    if (d === '[DONE]') {
      done = true;
      continue;
    }
    const o = JSON.parse(d) as JsonObject;
    if ('error' in o) errors.push(o);
    else chunks.push(o as unknown as Chunk);
  }
  return { chunks, done, errors };
}

export function contentOf(chunks: Chunk[], field = 'content'): string {
  return chunks.map((c) => c.choices[0]?.delta[field]).filter((x): x is string => typeof x === 'string').join('');
}

export function ndjson(text: string): JsonObject[] {
  expect(text.endsWith('\n')).toBe(true);
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as JsonObject);
}

export async function readChunks(res: Response): Promise<Uint8Array[]> {
  const reader = res.body!.getReader();
  const out: Uint8Array[] = [];
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return out;
    out.push(value);
  }
}

export function concat(chunks: Uint8Array[]): Buffer {
  return Buffer.concat(chunks.map((c) => Buffer.from(c)));
}

export function prefixed(s: Scenario, p: string): string {
  return scenarioPrefix(s) + p;
}
