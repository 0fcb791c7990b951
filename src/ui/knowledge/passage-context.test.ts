import { describe, expect, it } from 'vitest';
import { findPassage, passageInContext } from './passage-context';

describe('passageInContext', () => {
  const text = 'alpha beta gamma\ndelta epsilon zeta\neta theta iota\nkappa lambda mu';
  it('gives the passage with the text around it, cut at line or word breaks', () => {
    const start = text.indexOf('epsilon');
    const c = passageInContext(text, start, start + 'epsilon zeta'.length, 12);
    expect(c.passage).toBe('epsilon zeta');
    expect(c.before).toBe('delta ');
    expect(c.after.startsWith('\neta')).toBe(true);
    expect(c.cutBefore).toBe(true);
    expect(c.cutAfter).toBe(true);
    expect(c.before + c.passage + c.after).toBe(text.slice(text.indexOf(c.before), text.indexOf(c.after) + c.after.length));
  });
  it('shows everything of a short text and clamps bad offsets', () => {
    const c = passageInContext(text, 6, 10);
    expect(c.before + c.passage + c.after).toBe(text);
    expect([c.cutBefore, c.cutAfter]).toEqual([false, false]);
    const d = passageInContext(text, 500, 600);
    expect(d.passage).toBe('');
  });
});

describe('findPassage', () => {
  it('finds a passage by its text, or by its first long line', () => {
    expect(findPassage('xx hello yy', 'hello')).toEqual({ start: 3, end: 8 });
    const t = 'intro\nThe quick brown fox jumps over the dog\nmore';
    expect(findPassage(t, 'The quick brown fox jumps over the dog\nchanged')).toEqual({ start: 6, end: 44 });
    expect(findPassage(t, 'absent')).toBeNull();
  });
});
