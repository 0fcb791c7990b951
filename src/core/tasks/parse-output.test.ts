import { describe, expect, it } from 'vitest';
import { extractJson, parseFollowUps, parseTags, parseTitle } from './parse-output';

describe('extractJson', () => {
  it('reads bare JSON, JSON in prose, in ```json fences, and after a think block', () => {
    expect(extractJson('{"title":"A"}')).toEqual({ title: 'A' });
    expect(extractJson('Sure! Here it is: {"title": "B"} Hope that helps.')).toEqual({ title: 'B' });
    expect(extractJson('```json\n{\n  "tags": ["x"]\n}\n```')).toEqual({ tags: ['x'] });
    expect(extractJson('<think>maybe {"title": "no"}</think>\n{"title": "yes"}')).toEqual({ title: 'yes' });
    expect(extractJson('["a", "b"]')).toEqual(['a', 'b']);
  });

  it('skips braces that are not JSON and respects braces inside strings', () => {
    expect(extractJson('Use {curly} then {"title": "has } brace"}')).toEqual({ title: 'has } brace' });
    expect(extractJson('{"title": "quote \\" and { inside"}')).toEqual({ title: 'quote " and { inside' });
  });

  it('gives undefined when there is no JSON at all, or it never closes', () => {
    expect(extractJson('Sorry, I cannot help with that.')).toBeUndefined();
    expect(extractJson('{"title": "cut off')).toBeUndefined();
    expect(extractJson('')).toBeUndefined();
  });
});

describe('parseTitle', () => {
  it('takes the title, trimmed, without quotes or a final full stop', () => {
    expect(parseTitle('{"title": "  \\"Volcano   basics\\".  "}')).toBe('Volcano basics');
    expect(parseTitle('Title:\n```json\n{"title": "🌋 How volcanoes form"}\n```')).toBe('🌋 How volcanoes form');
  });

  it('cuts a long title and refuses empty, missing or non-text ones', () => {
    expect(parseTitle(JSON.stringify({ title: 'word '.repeat(40) }))!.length).toBeLessThanOrEqual(80);
    expect(parseTitle('{"title": "   "}')).toBeNull();
    expect(parseTitle('{"name": "x"}')).toBeNull();
    expect(parseTitle('{"title": 5}')).toBeNull();
    expect(parseTitle('Volcano basics')).toBeNull();
  });
});

describe('parseTags', () => {
  it('normalizes like the sidebar, drops repeats and blanks, keeps at most 3', () => {
    expect(parseTags('{"tags": ["Science", " Earth Science ", "science", "", 7, "Geology", "Extra"]}')).toEqual(['science', 'earth_science', 'geology']);
  });

  it('takes a bare array too; nothing usable is null', () => {
    expect(parseTags('["General"]')).toEqual(['general']);
    expect(parseTags('{"tags": []}')).toBeNull();
    expect(parseTags('{"tags": "science"}')).toBeNull();
    expect(parseTags('not json')).toBeNull();
  });
});

describe('parseFollowUps', () => {
  it('keeps up to 3 distinct questions, whitespace collapsed', () => {
    expect(parseFollowUps('{"follow_ups": ["Why?", "How  does\\nit work?", "Why?", "", "What next?", "Fourth?"]}')).toEqual(['Why?', 'How does it work?', 'What next?']);
  });

  it('an empty list is an answer ("nothing follows"); no list is null', () => {
    expect(parseFollowUps('{"follow_ups": []}')).toEqual([]);
    expect(parseFollowUps('["A?", "B?"]')).toEqual(['A?', 'B?']);
    expect(parseFollowUps('{"questions": ["A?"]}')).toEqual(['A?']);
    expect(parseFollowUps('{"title": "x"}')).toBeNull();
    expect(parseFollowUps('You said: hi')).toBeNull();
  });
});
