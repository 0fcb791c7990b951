import { describe, expect, it } from 'vitest';
import { speakableText } from './read-aloud';

describe('speakableText', () => {
  it('replaces fenced code with "Code block." and keeps the text around it', () => {
    const md = 'Try this:\n\n```js\nconst x = 1;\nconsole.log(x);\n```\n\nThen run it.';
    expect(speakableText(md)).toBe('Try this:\nCode block.\nThen run it.');
  });

  it('handles tilde fences, longer fences holding shorter ones, and a fence left open', () => {
    expect(speakableText('~~~\nrm -rf /\n~~~\nDone.')).toBe('Code block.\nDone.');
    expect(speakableText('````md\n```js\nx\n```\n````\nAfter.')).toBe('Code block.\nAfter.');
    expect(speakableText('Start\n```python\nprint("still streaming")')).toBe('Start\nCode block.');
  });

  it('strips headings, emphasis, strike-through, quotes, lists and rules', () => {
    const md = '# Title\n\nSome **bold**, *em*, ___both___ and ~~gone~~.\n\n> quoted\n\n- one\n* two\n1. three\n- [x] done\n\n---\n\n## End ##';
    expect(speakableText(md)).toBe('Title\nSome bold, em, both and gone.\nquoted\none\ntwo\nthree\ndone\nEnd');
  });

  it('keeps snake_case, 2*3*4 style text and inline code text', () => {
    expect(speakableText('Call `read_file` on my_var_name.')).toBe('Call read_file on my_var_name.');
    expect(speakableText('Use ``a `tick` here``.')).toBe('Use a `tick` here.');
  });

  it('reads links as their text and leaves images and URLs out', () => {
    const md = 'See [the docs](https://example.com/docs "Docs") and ![diagram](https://x.test/a.png) or <https://example.com>.\n\n[ref]: https://example.com';
    expect(speakableText(md)).toBe('See the docs and or .');
  });

  it('drops HTML tags, comments and a <think> section in the content', () => {
    const md = '<think>internal musing</think>Answer with <b>bold</b> and <br/> a break.<!-- hidden -->';
    expect(speakableText(md)).toBe('Answer with bold and a break.');
    expect(speakableText('<think>still thinking')).toBe('');
  });

  it('reads table rows as comma-separated cells and skips the separator', () => {
    const md = '| Name | Age |\n|:-----|----:|\n| Ann | 30 |';
    expect(speakableText(md)).toBe('Name, Age\nAnn, 30');
  });

  it('says "Formula." for display math and unescapes backslash escapes', () => {
    expect(speakableText('Area:\n\n$$\\pi r^2$$\n\nCosts \\*not\\* \\$5 \\[sic\\].')).toBe('Area:\nFormula.\nCosts *not* $5 [sic].');
  });

  it('normalises line endings and blank lines', () => {
    expect(speakableText('a\r\n\r\n\r\nb\rc')).toBe('a\nb\nc');
  });
});
