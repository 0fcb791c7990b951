import { describe, expect, it } from 'vitest';
import { partialSuffix, splitThinkTags } from './split-think-tags';
import { collect, deltas, events } from './test-collect';
import type { ChatEvent } from './types';

const split = (list: ChatEvent[]) => collect(splitThinkTags(events(list)));

describe('splitThinkTags', () => {
  const cases: [input: string, reasoning: string, text: string][] = [
    ['<think>\nLet me see… 🤔\n</think>\n\nAnswer: 4', '\nLet me see… 🤔\n', '\n\nAnswer: 4'],
    ['<thinking>plan</thinking>done', 'plan', 'done'],
    ['\n  <think>ws before</think>x', 'ws before', 'x'],
    ['No tags here, <think> later is text.', '', 'No tags here, <think> later is text.'],
    ['<thin ice>', '', '<thin ice>'],
    ['<think>never closed', 'never closed', ''],
    ['<think></think>', '', ''],
    ['<think>a < b </thin but not closed</think>ok', 'a < b </thin but not closed', 'ok'],
    ['   ', '', '   '],
    ['<reasoning>r1</reasoning>A', 'r1', 'A'],
    ['<reason>r2</reason>B', 'r2', 'B'],
    ['<thought>r3</thought>C', 'r3', 'C'],
    ['<|begin_of_thought|>r4<|end_of_thought|>\n\n<|begin_of_solution|>D', 'r4', '\n\n<|begin_of_solution|>D'],
    ['◁think▷r5◁/think▷E', 'r5', 'E'],
    ['<reasoning>not </reason> yet</reasoning>F', 'not </reason> yet', 'F'],
    ['<thoughtful>', '', '<thoughtful>'],
  ];
  for (const [input, reasoning, text] of cases) {
    for (const size of [1, 2, 3, 5, 1000]) {
      it(`${JSON.stringify(input)} in deltas of ${size}`, async () => {
        const got = await split(deltas(input, size));
        expect(got.reasoning).toBe(reasoning);
        expect(got.text).toBe(text);
        expect(got.types.at(-1)).toBe('done');
      });
    }
  }

  it('passes other events through and flushes held text before done', async () => {
    const got = await split([
      { type: 'reasoning', text: 'native' },
      { type: 'text', text: '<thi' },
      { type: 'usage', usage: { total_tokens: 1 } },
      { type: 'done', finishReason: 'length' },
    ]);
    expect(got.types).toEqual(['reasoning', 'usage', 'text', 'done']);
    expect(got).toMatchObject({ reasoning: 'native', text: '<thi', finishReason: 'length' });
  });

  it('flushes held reasoning before an error', async () => {
    const got = await split([
      { type: 'text', text: '<think>almost</th' },
      { type: 'error', error: { kind: 'network', message: 'lost' } },
    ]);
    expect(got.reasoning).toBe('almost</th');
    expect(got.types.at(-1)).toBe('error');
  });

  it('partialSuffix finds the longest tail that starts a tag', () => {
    expect(partialSuffix('abc</thi', '</think>')).toBe(5);
    expect(partialSuffix('abc<', '</think>')).toBe(1);
    expect(partialSuffix('abc', '</think>')).toBe(0);
  });
});
