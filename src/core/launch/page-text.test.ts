import { describe, expect, it } from 'vitest';
import { tidyPageText } from './page-text';

describe('tidyPageText', () => {
  it('collapses spaces within lines and blank lines between them', () => {
    expect(tidyPageText('  a \t  b\u00a0c  \r\n\r\n\n\n  d\n')).toEqual({ text: 'a b c\n\nd', truncated: false });
  });

  it('cuts long text at a word boundary near the cap and says so', () => {
    const words = Array.from({ length: 100 }, (_, i) => `word${i}`).join(' ');
    const out = tidyPageText(words, 50);
    expect(out.truncated).toBe(true);
    expect(out.text.length).toBeLessThanOrEqual(50);
    expect(words.startsWith(out.text)).toBe(true);
    expect(words.charAt(out.text.length)).toBe(' ');
  });

  it('cuts in a word when no boundary is near', () => {
    expect(tidyPageText('x'.repeat(30), 10)).toEqual({ text: 'x'.repeat(10), truncated: true });
  });
});
