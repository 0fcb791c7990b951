import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Usage } from '../providers/types';
import type { MessageMetrics } from '../storage/schema';
import { normalizeUsage, reasoningMs, type UsageSummary } from './normalize-usage';

/** The recorded wire corpus beside the repository (read, never copied). */
const streams = path.resolve(__dirname, '../../../../shared/fixtures/streams');
const present = existsSync(streams);

/** The usage event a parser yields for a recorded case: the sidecar's usage, plus llama.cpp's timings. */
function recordedUsage(name: string): Usage {
  const expected = (JSON.parse(readFileSync(path.join(streams, `${name}.json`), 'utf8')) as { expected: Record<string, unknown> }).expected;
  const usage = expected['usage'] as Usage;
  return expected['timings'] ? { ...usage, timings: expected['timings'] } : usage;
}

/** A run that started at 1000, first token 400 ms later, ended 2 s after that. */
const RUN: MessageMetrics = { startedAt: 1000, firstTokenAt: 1400, endedAt: 3400 };

type Case = [name: string, usage: () => Usage | null, metrics: MessageMetrics | null, chars: number, want: UsageSummary];

const CASES: Case[] = [
  [
    'Ollama /api/chat: tok/s from eval_count / eval_duration, TTFT from load + prompt eval',
    () => recordedUsage('ollama-chat-text'),
    RUN,
    0,
    {
      promptTokens: 16,
      completionTokens: 22,
      // 22 tokens in 105,611,917 ns
      tokensPerSecond: 22 / 0.105611917,
      ttftMs: (38473250 + 27608250) / 1e6,
      durationMs: 171.946792,
      source: 'server',
      estimate: false,
    },
  ],
  [
    'Ollama /api/generate without eval_duration: counts from the server, speed measured',
    () => recordedUsage('ollama-generate-thinking'),
    RUN,
    0,
    { promptTokens: 81, completionTokens: 34, tokensPerSecond: 17, ttftMs: 400, durationMs: 457.409342, source: 'server', estimate: false },
  ],
  [
    'llama.cpp: timings.predicted_per_second and prompt_ms; counts from usage, not prompt_n',
    () => recordedUsage('llamacpp-gptoss-raw-harmony-timings'),
    RUN,
    0,
    {
      promptTokens: 82,
      completionTokens: 43,
      tokensPerSecond: 282.703168247832,
      ttftMs: 7.61,
      durationMs: 7.61 + 152.103,
      source: 'server',
      estimate: false,
    },
  ],
  [
    'OpenAI include_usage: completion_tokens over measured first-token-to-end time',
    () => recordedUsage('openai-text-include-usage'),
    RUN,
    0,
    { promptTokens: 14, completionTokens: 30, tokensPerSecond: 15, ttftMs: 400, durationMs: 2400, source: 'server', estimate: false },
  ],
  [
    'no usage at all: characters / 4, labelled an estimate',
    () => null,
    RUN,
    400,
    { completionTokens: 100, tokensPerSecond: 50, ttftMs: 400, durationMs: 2400, source: 'measured', estimate: true },
  ],
  [
    'no usage, no output: only the times',
    () => null,
    RUN,
    0,
    { ttftMs: 400, durationMs: 2400, source: 'measured', estimate: false },
  ],
  [
    'usage but no metrics (a message from before measuring, or an import): server numbers only',
    () => recordedUsage('openai-text-include-usage'),
    null,
    0,
    { promptTokens: 14, completionTokens: 30, source: 'server', estimate: false },
  ],
  [
    'everything arrived in one read (first token = end): the speed falls back to the whole run',
    () => ({ prompt_tokens: 5, completion_tokens: 10 }),
    { startedAt: 0, firstTokenAt: 500, endedAt: 500 },
    0,
    { promptTokens: 5, completionTokens: 10, tokensPerSecond: 20, ttftMs: 500, durationMs: 500, source: 'server', estimate: false },
  ],
  [
    'a zero eval_duration is no speed; mistyped fields are ignored',
    () => ({ eval_count: 3, eval_duration: 0, prompt_eval_count: '7' }),
    null,
    0,
    { completionTokens: 3, source: 'server', estimate: false },
  ],
];

describe.skipIf(!present)('normalizeUsage', () => {
  it.each(CASES)('%s', (_name, usage, metrics, chars, want) => {
    const got = normalizeUsage(usage(), metrics, chars);
    expect(Object.keys(got).sort()).toEqual(Object.keys(want).sort());
    for (const [k, v] of Object.entries(want)) {
      if (typeof v === 'number') expect(got[k as keyof UsageSummary], k).toBeCloseTo(v, 6);
      else expect(got[k as keyof UsageSummary], k).toBe(v);
    }
  });

  it('adds the reasoning time when both ends were seen', () => {
    const got = normalizeUsage(null, { ...RUN, reasoningStartedAt: 1400, reasoningEndedAt: 5600 });
    expect(got.reasoningMs).toBe(4200);
  });
});

describe('reasoningMs', () => {
  it.each<[MessageMetrics | null | undefined, number | undefined]>([
    [{ reasoningStartedAt: 10, reasoningEndedAt: 4210 }, 4200],
    [{ reasoningStartedAt: 10 }, undefined],
    [{ reasoningStartedAt: 10, reasoningEndedAt: 5 }, undefined],
    [null, undefined],
    [undefined, undefined],
  ])('%j → %s', (metrics, want) => {
    expect(reasoningMs(metrics)).toBe(want);
  });
});
