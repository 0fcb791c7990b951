// @vitest-environment happy-dom
import './happy-dom-fix.test-support';
import { describe, expect, it } from 'vitest';
import { preloadMarkdownExtras, renderMarkdownToHtml } from './render-markdown';
import { manual } from './stream-dom.test-support';

describe('createStreamRenderer: an open code block at the end of a stream', () => {
  const open = 'Intro.\n\n```js\nconst a = 1; // <script>alert(1)</script>\n';

  it('shows exactly what the markdown renderer would, code as text', () => {
    const { el, r, frame } = manual();
    r.update(`${open}const b = 2;\n`);
    frame();
    const tail = el.querySelector('.md-tail')!;
    expect(tail.querySelector('code')?.textContent).toBe('const a = 1; // <script>alert(1)</script>\nconst b = 2;');
    expect(tail.querySelector('script')).toBeNull();
    expect(tail.querySelector('code')?.className).toBe('hljs language-js');
    expect(tail.querySelector('.md-code-lang')?.textContent).toBe('js');
    expect(tail.querySelector('.md-copy')).not.toBeNull();
  });

  it('grows the same text node in place while the code grows', () => {
    const { el, r, frame } = manual();
    r.update(open);
    frame();
    const node = el.querySelector('.md-tail code')!.firstChild;
    r.update(`${open}const b = 2;\n`);
    frame();
    r.update(`${open}const b = 2;\nconst c = 3;\n`);
    frame();
    expect(el.querySelector('.md-tail code')!.firstChild).toBe(node);
    expect(node?.textContent).toBe('const a = 1; // <script>alert(1)</script>\nconst b = 2;\nconst c = 3;');
  });

  it('rebuilds when the block is not an extension, and ends as the highlighted final block', async () => {
    await preloadMarkdownExtras();
    const { el, r, frame } = manual();
    r.update(open);
    frame();
    r.update('Intro.\n\n```py\nx = 1\n');
    frame();
    expect(el.querySelector('.md-tail code')?.className).toBe('hljs language-py');
    r.update('Intro.\n\n```py\nx = 1\n```\n\nAfter.');
    r.flush();
    expect(el.innerHTML).not.toContain('md-tail');
    expect(el.textContent).toBe(new DOMParser().parseFromString(renderMarkdownToHtml('Intro.\n\n```py\nx = 1\n```\n\nAfter.'), 'text/html').body.textContent);
  });
});
