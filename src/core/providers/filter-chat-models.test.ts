import { describe, expect, it } from 'vitest';
import { filterChatModels } from './filter-chat-models';

const ids = ['gpt-4o', 'dall-e-3', 'text-embedding-3-small', 'tts-1-hd', 'whisper-1', 'babbage-002', 'davinci-002', 'o3-mini'];
const models = ids.map((id) => ({ id, name: id }));

describe('filterChatModels', () => {
  it('drops non-chat models listed by api.openai.com', () => {
    expect(filterChatModels('https://api.openai.com/v1', models).map((m) => m.id)).toEqual(['gpt-4o', 'o3-mini']);
  });
  it('keeps every model of other servers', () => {
    expect(filterChatModels('http://localhost:11434', models)).toHaveLength(ids.length);
    expect(filterChatModels('https://openrouter.ai/api/v1', models)).toHaveLength(ids.length);
  });
});
