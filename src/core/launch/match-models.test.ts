import { describe, expect, it } from 'vitest';
import { matchModels } from './match-models';

const LIST = [
  { id: 'gpt-4o-mini', connectionId: 'a' },
  { id: 'llama3', connectionId: 'a' },
  { id: 'llama3', connectionId: 'b' },
  { id: 'p.qwen', connectionId: 'c' },
];

describe('matchModels', () => {
  it('finds ids in the order asked, the first connection for a shared id, and reports the rest', () => {
    expect(matchModels(['llama3', 'nope', 'gpt-4o-mini', 'llama3', 'qwen', 'p.qwen'], LIST)).toEqual({
      found: [{ id: 'llama3', connectionId: 'a' }, { id: 'gpt-4o-mini', connectionId: 'a' }, { id: 'p.qwen', connectionId: 'c' }],
      unknown: ['nope', 'qwen'],
    });
  });

  it('matches exactly (case and prefix count)', () => {
    expect(matchModels(['GPT-4o-mini'], LIST)).toEqual({ found: [], unknown: ['GPT-4o-mini'] });
  });
});
