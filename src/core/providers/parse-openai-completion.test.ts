import { describe, expect, it } from 'vitest';
import { parseOpenAICompletion } from './parse-openai-completion';

describe('parseOpenAICompletion', () => {
  it('maps a whole completion: reasoning, text, tool calls, usage, finish reason', () => {
    const events = parseOpenAICompletion(
      JSON.stringify({
        choices: [
          { index: 1, message: { content: 'other choice' }, finish_reason: 'stop' },
          {
            index: 0,
            message: { role: 'assistant', content: 'Hi', reasoning_content: 'think', tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{}' } }] },
            finish_reason: 'tool_calls',
          },
        ],
        usage: { total_tokens: 5 },
      }),
    );
    expect(events).toEqual([
      { type: 'reasoning', text: 'think' },
      { type: 'text', text: 'Hi' },
      { type: 'tool-call', index: 0, id: 'c', name: 'f', arguments: '{}' },
      { type: 'usage', usage: { total_tokens: 5 } },
      { type: 'done', finishReason: 'tool_calls' },
    ]);
  });

  it('turns an error body sent with status 200 into a stream error', () => {
    expect(parseOpenAICompletion('{"error":{"message":"overloaded","type":"server_error"}}')).toEqual([
      { type: 'error', error: { kind: 'stream', message: 'overloaded', type: 'server_error' }, finishReason: null },
    ]);
  });

  it('reports bodies that are not a completion as protocol errors', () => {
    expect(parseOpenAICompletion('not json')[0]).toMatchObject({ type: 'error', error: { kind: 'protocol' } });
    expect(parseOpenAICompletion('{"object":"list"}')[0]).toMatchObject({ type: 'error', error: { kind: 'protocol' } });
  });
});
