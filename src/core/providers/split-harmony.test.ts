import { describe, expect, it } from 'vitest';
import { splitHarmony } from './split-harmony';
import { collect, deltas, events } from './test-collect';
import type { ChatEvent } from './types';

const split = (list: ChatEvent[]) => collect(splitHarmony(events(list)));

describe('splitHarmony', () => {
  const cases: [input: string, reasoning: string, text: string][] = [
    // As llama.cpp streams gpt-oss without a reasoning parser: no <|end|> before <|start|>.
    [
      '<|channel|>analysis<|message|>User says "hi" — greet.<|start|>assistant<|channel|>final<|message|>Hallo! 👋',
      'User says "hi" — greet.',
      'Hallo! 👋',
    ],
    [
      '<|start|>assistant<|channel|>analysis<|message|>think<|end|><|start|>assistant<|channel|>final<|message|>answer<|return|>',
      'think',
      'answer',
    ],
    // A call addressed to a tool is not part of the answer.
    [
      '<|channel|>analysis<|message|>need weather<|end|><|start|>assistant<|channel|>commentary to=functions.get_weather <|constrain|>json<|message|>{"city":"Oslo"}<|call|>',
      'need weather{"city":"Oslo"}',
      '',
    ],
    ['Plain answer with <|channel|> inside.', '', 'Plain answer with <|channel|> inside.'],
    ['<|unknown|>text', '', '<|unknown|>text'],
    ['<|channel|>final<|message|>a <|weird|> b', '', 'a <|weird|> b'],
    ['<|channel|>final<|message|>unfinished <|mess', '', 'unfinished <|mess'],
  ];
  for (const [input, reasoning, text] of cases) {
    for (const size of [1, 2, 3, 7, 1000]) {
      it(`${JSON.stringify(input.slice(0, 40))}… in deltas of ${size}`, async () => {
        const got = await split(deltas(input, size));
        expect(got.reasoning).toBe(reasoning);
        expect(got.text).toBe(text);
        expect(got.types.at(-1)).toBe('done');
      });
    }
  }

  it('passes non-text events through untouched', async () => {
    const got = await split([
      { type: 'reasoning', text: 'r' },
      { type: 'usage', usage: { total_tokens: 3 } },
      { type: 'text', text: 'plain' },
      { type: 'done', finishReason: null },
    ]);
    expect(got.types).toEqual(['reasoning', 'usage', 'text', 'done']);
  });
});
