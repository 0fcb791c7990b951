import { describe, expect, it } from 'vitest';
import type { ConnectionStatus, ModelEntry } from '../../../workers/api';
import { filterModels, indexModels, isGroupRow, layoutPicker, type GroupRow } from './filter-models';

function entry(id: string, connectionId: string, extra: Partial<ModelEntry> = {}): ModelEntry {
  return { id, modelId: id, name: id, connectionId, connectionName: `Server ${connectionId}`, kind: 'openai', tags: [], ...extra };
}

const models = [
  entry('gpt-4o', 'a', { tags: ['work'] }),
  entry('llama3.2:latest', 'b', { name: 'Llama 3.2', tags: ['local', 'free'] }),
  entry('gpt-4o', 'b', { tags: ['local', 'free'] }),
  entry('qwen3:0.6b', 'c'),
];
const ix = indexModels(models);
const ids = (ms: ModelEntry[]) => ms.map((m) => `${m.connectionId}:${m.id}`);

describe('filterModels', () => {
  it('matches every word against id, name and connection name, ignoring case', () => {
    expect(ids(filterModels(ix, 'GPT'))).toEqual(['a:gpt-4o', 'b:gpt-4o']);
    expect(ids(filterModels(ix, 'gpt server b'))).toEqual(['b:gpt-4o']);
    expect(ids(filterModels(ix, 'llama 3.2'))).toEqual(['b:llama3.2:latest']);
    expect(filterModels(ix, 'nothing-like-this')).toEqual([]);
    expect(filterModels(ix, '  ')).toHaveLength(4);
  });

  it('matches #words against tags only, and tag chips as "any of"', () => {
    expect(ids(filterModels(ix, '#loc'))).toEqual(['b:llama3.2:latest', 'b:gpt-4o']);
    expect(ids(filterModels(ix, '#work gpt'))).toEqual(['a:gpt-4o']);
    expect(ids(filterModels(ix, '', new Set(['work', 'free'])))).toEqual(['a:gpt-4o', 'b:llama3.2:latest', 'b:gpt-4o']);
    expect(ids(filterModels(ix, 'work'))).toEqual(['a:gpt-4o']);
  });
});

describe('layoutPicker', () => {
  const statuses: ConnectionStatus[] = [
    { connectionId: 'b', connectionName: 'Server b', ok: false, count: 2, error: null, source: 'stale', fetchedAt: 0 },
  ];

  it('puts favourites first, then one group per connection, and counts what it left out', () => {
    const l = layoutPicker(models, new Set(['c|qwen3:0.6b']), statuses, 3);
    const shape = l.rows.map((r) => (isGroupRow(r) ? `[${r.label}${r.warn ? ' !' : ''}]` : `${r.connectionId}:${r.id}`));
    expect(shape).toEqual(['[Favourites]', 'c:qwen3:0.6b', '[Server a]', 'a:gpt-4o', '[Server b !]', 'b:llama3.2:latest']);
    expect(ids(l.options)).toEqual(['c:qwen3:0.6b', 'a:gpt-4o', 'b:llama3.2:latest']);
    expect(l.hidden).toBe(1);
    expect(l.optionOfRow).toEqual([-1, 0, -1, 1, -1, 2]);
    expect(l.rowOfOption).toEqual([1, 3, 5]);
  });

  it('hands out the same heading object for the same heading', () => {
    const cache = new Map<string, GroupRow>();
    const keep = (r: GroupRow) => {
      const k = `${r.group}|${r.label}|${r.note}`;
      const old = cache.get(k);
      if (old) return old;
      cache.set(k, r);
      return r;
    };
    const a = layoutPicker(models, new Set(), [], 10, keep).rows[0];
    const b = layoutPicker(filterModels(ix, 'gpt'), new Set(), [], 10, keep).rows[0];
    expect(a).toBe(b);
  });
});
