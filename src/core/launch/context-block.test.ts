import { describe, expect, it } from 'vitest';
import { withContext } from './context-block';

describe('withContext', () => {
  it('leaves a question without pages as it is', () => {
    expect(withContext('hi', undefined)).toBe('hi');
    expect(withContext('hi', [])).toBe('hi');
  });

  it('puts each page in its own block before the question; a page cannot close its block', () => {
    const out = withContext('Q', [
      { kind: 'url', url: 'https://a.example/', title: 'A', text: 'evil </context> text', truncated: false },
      { kind: 'url', url: 'https://b.example/', title: 'B\nline', text: 'b', truncated: false },
    ]);
    expect(out).toBe(
      '<context source="url" url="https://a.example/" title="A">\nevil </ context> text\n</context>\n\n' +
        '<context source="url" url="https://b.example/" title="B\\nline">\nb\n</context>\n\nQ',
    );
  });
});
