import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseOpenAIStream } from './parse-sse';
import { collect, endsOnce, type Collected } from './test-collect';
import { splitVariants, streamOf, utf8 } from './test-chunks';

const fixture = (name: string) => readFileSync(path.join(__dirname, '__fixtures__', name));
const parse = (chunks: Uint8Array[]) => collect(parseOpenAIStream(streamOf(chunks)));

/** LF fixture → the same body with CRLF line ends (Perplexity sends those). */
const crlf = (bytes: Uint8Array) => utf8(new TextDecoder().decode(bytes).replace(/\n/g, '\r\n'));

type Expected = Partial<Omit<Collected, 'types' | 'error'>> & { error?: { kind: string; message: string; code?: unknown; type?: unknown } | null };

const cases: [file: string, expected: Expected][] = [
  [
    'openai-text-usage.sse.txt',
    {
      text: 'Grüße 👋 aus 日本!',
      reasoning: '',
      usage: { prompt_tokens: 9, completion_tokens: 5, total_tokens: 14 },
      finishReason: 'stop',
      error: null,
    },
  ],
  [
    'openai-reasoning-no-done.sse.txt',
    {
      text: 'Oui — très bien.',
      reasoning: 'Hmm, «ça va» ✓Also counted',
      usage: { prompt_tokens: 3, completion_tokens: 7, total_tokens: 10 },
      finishReason: 'stop',
    },
  ],
  ['mistral-thinking.sse.txt', { text: 'Straße überqueren.', reasoning: 'Denke… fertig.', finishReason: 'stop' }],
  [
    'openai-tool-calls.sse.txt',
    {
      text: '',
      finishReason: 'tool_calls',
      toolCalls: [
        { index: 0, id: 'call_a', name: 'weather', arguments: '{"city":"Zürich"}' },
        { index: 1, id: 'call_b', name: 'stock', arguments: '{"t":"€"}' },
      ],
    },
  ],
  ['openai-n2-interleaved.sse.txt', { text: 'eins ✓', finishReason: 'stop' }],
  ['openai-refusal.sse.txt', { text: '', refusal: 'I’m sorry, I can’t help with that.', finishReason: 'stop' }],
  [
    'openrouter-error-in-chunk.sse.txt',
    {
      reasoning: 'Wir müssen antworten.',
      usage: { prompt_tokens: 9, completion_tokens: 5, total_tokens: 14 },
      finishReason: 'length',
      error: { kind: 'stream', message: 'Token limit reached', code: 400 },
    },
  ],
  [
    'groq-error-event.sse.txt',
    {
      text: 'vielleicht',
      finishReason: null,
      error: { kind: 'stream', message: 'Tool choice is required', code: 'tool_use_failed', type: 'invalid_request_error' },
    },
  ],
];

describe('parseOpenAIStream on small fixtures', () => {
  for (const [file, expected] of cases) {
    for (const { name, chunks } of [...splitVariants(fixture(file)), ...splitVariants(crlf(fixture(file))).map((v) => ({ ...v, name: `CRLF ${v.name}` }))]) {
      it(`${file}, ${name}`, async () => {
        const got = await parse(chunks);
        expect(got).toMatchObject(expected);
        expect(endsOnce(got.types)).toBe(true);
        expect(got.types.at(-1)).toBe(expected.error ? 'error' : 'done');
      });
    }
  }
});

describe('parseOpenAIStream edge cases', () => {
  it('dispatches a last event that has no blank line after it', async () => {
    const got = await parse([utf8('data: {"choices":[{"index":0,"delta":{"content":"hi"},"finish_reason":"stop"}]}')]);
    expect(got).toMatchObject({ text: 'hi', finishReason: 'stop' });
    expect(got.types).toEqual(['text', 'done']);
  });

  it('ends at [DONE] and reads nothing after it', async () => {
    let readAfterDone = false;
    async function* body() {
      yield utf8('data: {"choices":[{"index":0,"delta":{"content":"a"}}]}\n\ndata: [DONE]\n\n');
      readAfterDone = true;
      yield utf8('data: {"choices":[{"index":0,"delta":{"content":"b"}}]}\n\n');
    }
    const got = await collect(parseOpenAIStream(body()));
    expect(got.text).toBe('a');
    expect(readAfterDone).toBe(false);
  });

  it('ends with done (finishReason null) when the body is empty', async () => {
    const got = await parse([]);
    expect(got.types).toEqual(['done']);
    expect(got.finishReason).toBeNull();
  });

  it('turns a top-level error payload into an error event that ends the stream', async () => {
    const got = await parse([
      utf8('data: {"error":{"message":"The server had an error","type":"server_error","param":null,"code":null}}\n\ndata: [DONE]\n\n'),
    ]);
    expect(got.types).toEqual(['error']);
    expect(got.error).toEqual({ kind: 'stream', message: 'The server had an error', type: 'server_error', code: null });
  });

  it('yields a protocol error for a data line that is not JSON', async () => {
    const got = await parse([utf8('data: {"choices":[{"index":0,"delta":{"content":"ok"}}]}\n\ndata: <html>oops\n\n')]);
    expect(got.text).toBe('ok');
    expect(got.error?.kind).toBe('protocol');
    expect(got.types.at(-1)).toBe('error');
  });

  it('ignores comments, empty data lines and chunks without choices', async () => {
    const got = await parse([utf8(': ping\n\ndata:\n\ndata: {"choices":[]}\n\ndata:{"choices":[{"index":0,"delta":{"content":"x"}}]}\n\n')]);
    expect(got).toMatchObject({ text: 'x', error: null });
  });

  it('takes usage from x_groq when the top level has none, and keeps the last usage', async () => {
    const got = await parse([
      utf8('data: {"choices":[],"usage":{"total_tokens":1}}\n\n'),
      utf8('data: {"choices":[],"x_groq":{"usage":{"total_tokens":2}}}\n\n'),
    ]);
    expect(got.usage).toEqual({ total_tokens: 2 });
  });

  it('turns a failing read into an error event after the text so far', async () => {
    async function* body() {
      yield utf8('data: {"choices":[{"index":0,"delta":{"content":"part"}}]}\n\n');
      throw new TypeError('terminated');
    }
    const got = await collect(parseOpenAIStream(body()));
    expect(got.text).toBe('part');
    expect(got.error).toMatchObject({ kind: 'network', message: 'terminated' });
    expect(endsOnce(got.types)).toBe(true);
  });

  it('accepts lone CR line ends', async () => {
    const got = await parse([utf8('data: {"choices":[{"index":0,"delta":{"content":"cr"}}]}\r\rdata: [DONE]\r\r')]);
    expect(got).toMatchObject({ text: 'cr', error: null });
  });
});
