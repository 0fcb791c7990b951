import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseOllamaStream } from './parse-ollama-stream';
import { collect, endsOnce, type Collected } from './test-collect';
import { splitVariants, streamOf, utf8 } from './test-chunks';

const fixture = (name: string) => readFileSync(path.join(__dirname, '__fixtures__', name));
const crlf = (bytes: Uint8Array) => utf8(new TextDecoder().decode(bytes).replace(/\n/g, '\r\n'));
const parse = (chunks: Uint8Array[]) => collect(parseOllamaStream(streamOf(chunks)));

type Expected = Partial<Omit<Collected, 'types' | 'error'>> & { error?: { kind: string; message: string } | null };

const cases: [string, Expected][] = [
  [
    'ollama-chat.ndjson',
    {
      text: 'Eins, zwei, drei — ✓',
      reasoning: 'Zählen… ok.',
      toolCalls: [{ index: 0, name: 'get_weather', arguments: '{"city":"Tōkyō"}' }],
      usage: {
        prompt_eval_count: 16,
        eval_count: 22,
        total_duration: 171946792,
        load_duration: 38473250,
        prompt_eval_duration: 27608250,
        eval_duration: 105611917,
      },
      finishReason: 'stop',
      error: null,
    },
  ],
  [
    'ollama-generate.ndjson',
    {
      text: 'Weich, flink, neugierig.',
      reasoning: 'Drei Wörter.',
      usage: { prompt_eval_count: 81, eval_count: 34, total_duration: 457409342 },
      finishReason: 'stop',
      error: null,
    },
  ],
  [
    'ollama-error.ndjson',
    { text: ' Ja.Ich kann', usage: null, error: { kind: 'stream', message: 'an error was encountered while running the model' } },
  ],
];

describe('parseOllamaStream on small fixtures', () => {
  for (const [file, expected] of cases) {
    const all = [...splitVariants(fixture(file)), ...splitVariants(crlf(fixture(file))).map((v) => ({ ...v, name: `CRLF ${v.name}` }))];
    for (const { name, chunks } of all) {
      it(`${file}, ${name}`, async () => {
        const got = await parse(chunks);
        expect(got).toMatchObject(expected);
        expect(endsOnce(got.types)).toBe(true);
        expect(got.types.at(-1)).toBe(expected.error ? 'error' : 'done');
      });
    }
  }
});

describe('parseOllamaStream edge cases', () => {
  it('emits usage, then done, for the done:true line and stops reading there', async () => {
    const got = await parse([utf8('{"response":"a","done":false}\n{"response":"","done":true,"done_reason":"length","eval_count":2}\n{"response":"late"}\n')]);
    expect(got.types).toEqual(['text', 'usage', 'done']);
    expect(got).toMatchObject({ text: 'a', finishReason: 'length', usage: { eval_count: 2 } });
  });

  it('ends with done (finishReason null) when the body stops without a done line', async () => {
    const got = await parse([utf8('{"message":{"role":"assistant","content":"cut"},"done":false}\n')]);
    expect(got.types).toEqual(['text', 'done']);
    expect(got.finishReason).toBeNull();
  });

  it('numbers tool calls across lines so two calls stay apart', async () => {
    const line = (city: string) => `{"message":{"role":"assistant","content":"","tool_calls":[{"function":{"name":"w","arguments":{"city":"${city}"}}}]},"done":false}\n`;
    const got = await parse([utf8(line('A') + line('B'))]);
    expect(got.toolCalls).toEqual([
      { index: 0, name: 'w', arguments: '{"city":"A"}' },
      { index: 1, name: 'w', arguments: '{"city":"B"}' },
    ]);
  });

  it('turns a line that is not JSON into a protocol error event', async () => {
    const got = await parse([utf8('{"response":"ok","done":false}\n<html>\n')]);
    expect(got.text).toBe('ok');
    expect(got.error?.kind).toBe('protocol');
    expect(endsOnce(got.types)).toBe(true);
  });

  it('turns a failing read into an error event', async () => {
    async function* body() {
      yield utf8('{"response":"ok","done":false}\n');
      throw new TypeError('terminated');
    }
    const got = await collect(parseOllamaStream(body()));
    expect(got.error?.kind).toBe('network');
    expect(got.types).toEqual(['text', 'error']);
  });
});
