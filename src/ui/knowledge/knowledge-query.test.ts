import { describe, expect, it } from 'vitest';
import { dropHashQuery, hashQuery, matchBases } from './knowledge-query';

describe('hashQuery', () => {
  it('reads #word at the end of the text', () => {
    expect(hashQuery('#')).toBe('');
    expect(hashQuery('what does #man')).toBe('man');
    expect(hashQuery('line\n#doc')).toBe('doc');
  });
  it('ignores # inside words, after the word ends, and headings', () => {
    expect(hashQuery('C#')).toBeNull();
    expect(hashQuery('issue#12')).toBeNull();
    expect(hashQuery('#manual and more')).toBeNull();
    expect(hashQuery('# Title')).toBeNull();
    expect(hashQuery('##')).toBeNull();
  });
  it('drops the query and keeps the rest', () => {
    expect(dropHashQuery('what does #man')).toBe('what does ');
    expect(dropHashQuery('#man')).toBe('');
  });
});

describe('matchBases', () => {
  const bases = [
    { name: 'Team handbook', description: 'HR rules' },
    { name: 'Manuals', description: 'device manuals' },
    { name: 'Recipes', description: '' },
  ];
  it('keeps all for an empty query, names starting with it first', () => {
    expect(matchBases(bases, '')).toHaveLength(3);
    expect(matchBases(bases, 'man').map((b) => b.name)).toEqual(['Manuals']);
    expect(matchBases(bases, 'hr').map((b) => b.name)).toEqual(['Team handbook']);
    expect(matchBases(bases, 'e').map((b) => b.name)).toEqual(['Team handbook', 'Manuals', 'Recipes']);
  });
});
