import { describe, expect, it } from 'vitest';
import { findInlineMathStart, tokenizeBlockMath, tokenizeInlineMath } from './tokenize-math';

describe('tokenizeInlineMath', () => {
  it('reads $…$, \\(…\\), $$…$$ and \\[…\\]', () => {
    expect(tokenizeInlineMath('$x^2$ rest')).toEqual({ type: 'math', raw: '$x^2$', text: 'x^2', displayMode: false });
    expect(tokenizeInlineMath('\\(a+b\\) rest')).toMatchObject({ raw: '\\(a+b\\)', text: 'a+b', displayMode: false });
    expect(tokenizeInlineMath('$$\\sum_i i$$.')).toMatchObject({ raw: '$$\\sum_i i$$', text: '\\sum_i i', displayMode: true });
    expect(tokenizeInlineMath('\\[x\ny\\]')).toMatchObject({ text: 'x\ny', displayMode: true });
  });

  it('leaves prices alone', () => {
    expect(tokenizeInlineMath('$5 and $10')).toBeUndefined();
    expect(tokenizeInlineMath('$5, or $6.')).toBeUndefined();
    expect(tokenizeInlineMath('$ x$')).toBeUndefined(); // space after the opening $
    expect(tokenizeInlineMath('$x $')).toBeUndefined(); // space before the closing $
    expect(tokenizeInlineMath('$x$5')).toBeUndefined(); // closing $ followed by a digit
    expect(tokenizeInlineMath('$5 and $10, math $x^2$')).toBeUndefined();
  });

  it('keeps single-$ math on one line, skips escaped dollars and refuses empty math', () => {
    expect(tokenizeInlineMath('$a\nb$')).toBeUndefined();
    expect(tokenizeInlineMath('$a\\$b$')).toMatchObject({ text: 'a\\$b' });
    expect(tokenizeInlineMath('$$  $$')).toBeUndefined();
    expect(tokenizeInlineMath('$x')).toBeUndefined();
  });

  it('findInlineMathStart finds $ and \\( \\[ but not an escaped backslash', () => {
    expect(findInlineMathStart('abc $x$')).toBe(4);
    expect(findInlineMathStart('a \\(x\\)')).toBe(2);
    expect(findInlineMathStart('a \\\\(x)')).toBeUndefined();
    expect(findInlineMathStart('plain text')).toBeUndefined();
  });
});

describe('tokenizeBlockMath', () => {
  it('reads a closed block, including the newline after the closing line', () => {
    expect(tokenizeBlockMath('$$\nE = mc^2\n$$\nafter')).toEqual({
      type: 'mathBlock',
      raw: '$$\nE = mc^2\n$$\n',
      text: '\nE = mc^2\n',
      closed: true,
    });
    expect(tokenizeBlockMath('\\[\nx\n\\]')).toMatchObject({ text: '\nx\n', closed: true });
  });

  it('an unclosed block at the end of the source is open; across a blank line it is not math', () => {
    expect(tokenizeBlockMath('$$\nE = m')).toMatchObject({ raw: '$$\nE = m', closed: false });
    expect(tokenizeBlockMath('$$\nE = m\n\nText')).toBeUndefined();
    expect(tokenizeBlockMath('$$\na\n\nb\n$$')).toBeUndefined();
  });

  it('a closing delimiter followed by text on its line is not a block (inline math handles it)', () => {
    expect(tokenizeBlockMath('$$x$$ is nice')).toBeUndefined();
    expect(tokenizeBlockMath('$$x$$')).toMatchObject({ closed: true, text: 'x' });
    expect(tokenizeBlockMath('text $$x$$')).toBeUndefined();
  });
});
