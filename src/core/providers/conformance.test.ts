import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseOllamaModels } from './ollama';
import { parseOpenAIModels } from './openai';
import { parseOllamaStream } from './parse-ollama-stream';
import { parseOpenAIStream } from './parse-sse';
import { errorFromHttp } from './read-error-body';
import { splitHarmony } from './split-harmony';
import { splitThinkTags } from './split-think-tags';
import { collect, endsOnce, type Collected } from './test-collect';
import { awkwardOffsets, cutAt, cutEveryByte, seededOffsets, streamOf } from './test-chunks';
import type { ChatEvent, RemoteModel } from './types';

/**
 * Replays the recorded wire corpus in ../shared/fixtures (beside the repository, not in it)
 * through the real parsers. Skipped where the corpus is absent (a fresh clone without shared/).
 */
const root = path.resolve(__dirname, '../../../../shared/fixtures');
const present = existsSync(root);

/** Above this size a body is cut at seeded random points instead of at every byte (speed). */
const BYTE_BY_BYTE_LIMIT = 300_000;

/** Sidecar keys describing the bytes rather than what a client makes of them: not compared. */
const DESCRIPTIVE_KEYS = new Set([
  'doneSentinel',
  'doneSentinelNote',
  'dataEvents',
  'commentLines',
  'undispatchedTrailingEvent',
  'crlf',
  'lines',
]);

type Json = Record<string, unknown>;

const readJson = (file: string): Json => JSON.parse(readFileSync(file, 'utf8')) as Json;
const caseNames = (dir: string, suffix: string) =>
  present
    ? readdirSync(path.join(root, dir))
        .filter((f) => f.endsWith(suffix))
        .map((f) => f.slice(0, -suffix.length))
        .sort()
    : [];

function variants(bytes: Uint8Array): { name: string; chunks: Uint8Array[] }[] {
  const out = [
    { name: 'whole', chunks: [bytes] },
    { name: 'awkward cuts', chunks: cutAt(bytes, awkwardOffsets(bytes, 50)) },
    { name: 'seeded cuts', chunks: cutAt(bytes, seededOffsets(bytes.length, 500, bytes.length)) },
  ];
  if (bytes.length <= BYTE_BY_BYTE_LIMIT) out.push({ name: 'byte by byte', chunks: cutEveryByte(bytes) });
  return out;
}

const pipe = (events: AsyncIterable<ChatEvent>, through?: (e: AsyncIterable<ChatEvent>) => AsyncGenerator<ChatEvent>) =>
  through ? through(events) : events;

describe.skipIf(!present)('conformance: streams', () => {
  const streamCases = caseNames('streams', '.json');

  it('has every case of the corpus', () => {
    expect(streamCases.length).toBe(42);
  });

  for (const name of streamCases) {
    const sidecar = readJson(path.join(root, 'streams', `${name}.json`));
    const expected = sidecar['expected'] as Json;
    const contentType = String(sidecar['contentType']);
    const bytes = new Uint8Array(readFileSync(path.join(root, 'streams', `${name}.txt`)));

    describe(name, () => {
      it('has only sidecar keys this test knows', () => {
        const known = new Set([
          ...DESCRIPTIVE_KEYS,
          ...['text', 'reasoning', 'usage', 'error', 'errorType', 'errorCode', 'finishReason', 'refusal', 'toolCalls'],
          ...['choices', 'afterThinkTagSplit', 'afterHarmonySplit', 'done', 'doneReason', 'timings'],
        ]);
        expect(Object.keys(expected).filter((k) => !known.has(k))).toEqual([]);
      });

      if (contentType === 'application/json') {
        it('errorFromHttp reads the error body', () => {
          const err = errorFromHttp(Number(sidecar['status']), '', new TextDecoder().decode(bytes), contentType);
          expect(err.kind).toBe('http');
          expect(err.status).toBe(sidecar['status']);
          expect(err.message).toBe(expected['error']);
          if ('errorType' in expected) expect(err.type ?? null).toBe(expected['errorType']);
          if ('errorCode' in expected) expect(err.code ?? null).toBe(expected['errorCode']);
        });
        return;
      }

      const ndjson = contentType === 'application/x-ndjson';
      const parse = (chunks: Uint8Array[]) => (ndjson ? parseOllamaStream(streamOf(chunks)) : parseOpenAIStream(streamOf(chunks)));

      for (const { name: how, chunks } of variants(bytes)) {
        it(`parses ${how}`, async () => {
          const got = await collect(parse(chunks));
          expect(endsOnce(got.types)).toBe(true);
          checkStream(got, expected, ndjson);
        });
      }

      const splits: [key: string, through: (e: AsyncIterable<ChatEvent>) => AsyncGenerator<ChatEvent>][] = [
        ['afterThinkTagSplit', splitThinkTags],
        ['afterHarmonySplit', splitHarmony],
      ];
      for (const [key, through] of splits) {
        if (!(key in expected)) continue;
        const want = expected[key] as { text: string; reasoning: string };
        for (const { name: how, chunks } of variants(bytes)) {
          it(`${key}, ${how}`, async () => {
            const got = await collect(pipe(parse(chunks), through));
            expect(got.reasoning).toBe(want.reasoning);
            expect(got.text).toBe(want.text);
          });
        }
      }
    });
  }
});

function checkStream(got: Collected, expected: Json, ndjson: boolean): void {
  expect(got.text).toBe(expected['text']);
  expect(got.reasoning).toBe(expected['reasoning']);
  expect(got.refusal).toBe(expected['refusal'] ?? '');
  // llama.cpp's `timings` ride in the usage event beside the usage fields.
  const timings = expected['timings'];
  expect(got.usage).toEqual(timings ? { ...(expected['usage'] as Json), timings } : expected['usage']);
  expect(got.error?.message ?? null).toBe(expected['error']);
  if (expected['error'] !== null) expect(got.types.at(-1)).toBe('error');
  if ('errorType' in expected) expect(got.error?.type ?? null).toBe(expected['errorType']);
  if ('errorCode' in expected) expect(got.error?.code ?? null).toBe(expected['errorCode']);
  if ('finishReason' in expected) expect(got.finishReason).toBe(expected['finishReason']);
  if ('doneReason' in expected) expect(got.finishReason).toBe(expected['doneReason']);
  if ('done' in expected) expect(got.types.at(-1)).toBe(expected['done'] ? 'done' : 'error');
  if ('choices' in expected) {
    // n>1: only choice 0 feeds the message.
    const first = (expected['choices'] as Record<string, { text: string; finishReason: string | null }>)['0'];
    expect(got.text).toBe(first?.text);
    expect(got.finishReason).toBe(first?.finishReason);
  }
  const calls = expected['toolCalls'];
  if (Array.isArray(calls)) {
    const want = ndjson ? calls.map(ollamaCall) : calls;
    expect(got.toolCalls).toEqual(want);
  } else {
    expect(got.toolCalls).toEqual([]);
  }
}

/** Ollama's `{function:{name, arguments:{…}}}` as the events carry it: a running index, JSON text. */
function ollamaCall(call: unknown, index: number) {
  const fn = (call as { function: { name: string; arguments: unknown } }).function;
  return { index, name: fn.name, arguments: JSON.stringify(fn.arguments) };
}

describe.skipIf(!present)('conformance: models', () => {
  const modelCases = caseNames('models', '.body.json');

  it('has the model-list cases', () => {
    expect(modelCases.length).toBeGreaterThanOrEqual(8);
  });

  for (const name of modelCases) {
    it(name, () => {
      const expected = readJson(path.join(root, 'models', `${name}.json`))['expected'] as Json;
      const body = readJson(path.join(root, 'models', `${name}.body.json`));
      const ollama = 'models' in body && !('data' in body);
      const models = ollama ? parseOllamaModels(body) : parseOpenAIModels(body);
      checkModels(models, expected);
    });
  }
});

function checkModels(models: RemoteModel[], expected: Json): void {
  const byId = new Map(models.map((m) => [m.id, m]));
  for (const [key, want] of Object.entries(expected)) {
    switch (key) {
      case 'count':
        expect(models.length).toBe(want);
        break;
      case 'ids':
      case 'names':
        expect(models.map((m) => m.id)).toEqual(want);
        break;
      case 'sizes':
        expect(Object.fromEntries(models.map((m) => [m.id, m.size]))).toEqual(want);
        break;
      case 'contextLength':
        expect(Object.fromEntries(models.map((m) => [m.id, m.contextLength]))).toEqual(want);
        break;
      case 'maxModelLen':
        expect(models.map((m) => m.contextLength)).toEqual([want]);
        break;
      case 'familiesNull':
        // details.families: null must not drop the entry.
        for (const id of want as string[]) expect(byId.has(id)).toBe(true);
        break;
      case 'dataIsNull':
        if (want === true) expect(models).toEqual([]);
        break;
      case 'meta':
      case 'topLevelKeys':
      case 'perModelExtraFields':
      case 'chatModelHeuristicNote':
        // Facts about the body that RemoteModel does not carry.
        break;
      default:
        throw new Error(`models sidecar key this test does not know: ${key}`);
    }
  }
}
