// @vitest-environment happy-dom
import './happy-dom-fix.test-support';
import { beforeAll, describe, expect, it } from 'vitest';
import { highlightCode } from './highlight-code';
import { copyCodeOnClick, loadImageOnClick } from './markdown-clicks';
import { HIGHLIGHT_LANGUAGES, preloadMarkdownExtras, renderMarkdown, renderMarkdownToHtml } from './render-markdown';

function render(text: string): HTMLElement {
  const el = document.createElement('div');
  el.innerHTML = renderMarkdownToHtml(text);
  return el;
}

beforeAll(() => preloadMarkdownExtras());

describe('renderMarkdownToHtml: GFM', () => {
  it('renders headings, emphasis, lists, task lists, quotes, rules and tables', () => {
    const el = render(
      '# Title\n\nSub\n---\n\nSome **bold**, _em_, ~~gone~~ and `code`.\n\n- a\n- b\n\n1. one\n2. two\n\n' +
        '- [x] done\n\n> quoted\n\n***\n\n| a | b |\n|---|:-:|\n| 1 | 2 |\n',
    );
    expect(el.querySelector('h1')?.textContent).toBe('Title');
    expect(el.querySelector('h2')?.textContent).toBe('Sub');
    expect(el.querySelector('strong')?.textContent).toBe('bold');
    expect(el.querySelector('em')?.textContent).toBe('em');
    expect(el.querySelector('del')?.textContent).toBe('gone');
    expect(el.querySelector('p code')?.textContent).toBe('code');
    expect(el.querySelectorAll('ul > li')).toHaveLength(3);
    expect(el.querySelectorAll('ol > li')).toHaveLength(2);
    expect(el.querySelector('input[type="checkbox"]')?.hasAttribute('checked')).toBe(true);
    expect(el.querySelector('blockquote')?.textContent?.trim()).toBe('quoted');
    expect(el.querySelector('hr')).not.toBeNull();
    expect(Array.from(el.querySelectorAll('th'), (th) => th.textContent)).toEqual(['a', 'b']);
    expect(el.querySelectorAll('tbody td')[1]?.getAttribute('align')).toBe('center');
  });

  it('shows reference-style link definitions as text (they are not supported)', () => {
    const el = render('See [1].\n\n[1]: https://example.com');
    expect(el.textContent).toContain('[1]: ');
    expect(el.querySelector('a')?.getAttribute('href')).toBe('https://example.com');
  });
});

describe('renderMarkdownToHtml: untrusted output', () => {
  it('shows raw HTML as text, block and inline, and creates no live elements', () => {
    const el = render(
      '<script>alert(1)</script>\n\n<iframe src="https://evil.example"></iframe>\n\n' +
        'inline <img src=x onerror=alert(1)> and <b onclick="x()">b</b> and <code>a<b</code>\n\n' +
        '<div onmouseover="alert(1)">\n*md*\n</div>',
    );
    expect(el.querySelector('script, iframe, img, b, div[onmouseover], [onerror], [onclick]')).toBeNull();
    expect(el.textContent).toContain('<script>alert(1)</script>');
    expect(el.textContent).toContain('<iframe src="https://evil.example"></iframe>');
    expect(el.textContent).toContain('<img src=x onerror=alert(1)>');
    expect(el.textContent).toContain('<code>a<b</code>');
  });

  it('keeps only http, https and mailto links, opening in a new tab without opener or referrer', () => {
    const el = render(
      '[js](javascript:alert(1)) [data](data:text/html,x) [vb](vbscript:x) [rel](/local) ' +
        '[ok](https://a.example "t") <https://b.example> www.c.example <me@d.example> [mail](mailto:x@e.example)',
    );
    const hrefs = Array.from(el.querySelectorAll('a'), (a) => a.getAttribute('href'));
    expect(hrefs).toEqual(['https://a.example', 'https://b.example', 'http://www.c.example', 'mailto:me@d.example', 'mailto:x@e.example']);
    for (const a of el.querySelectorAll('a')) {
      expect(a.getAttribute('target')).toBe('_blank');
      expect(a.getAttribute('rel')).toBe('noopener noreferrer');
    }
    expect(el.textContent).toContain('js data vb rel ok');
    expect(el.innerHTML).not.toContain('javascript:');
  });

  it('renders images as placeholders that fetch nothing', () => {
    const el = render('![a cat](https://img.example/cat.png "Cat") and ![x](javascript:alert(1))');
    expect(el.querySelector('img')).toBeNull();
    const button = el.querySelector('button.md-image');
    expect(button?.getAttribute('data-src')).toBe('https://img.example/cat.png');
    expect(button?.getAttribute('data-alt')).toBe('a cat');
    expect(button?.textContent).toBe('Load image: a cat (img.example)');
    expect(el.querySelectorAll('button.md-image')).toHaveLength(1);
    expect(el.innerHTML).not.toContain('javascript:');
  });
});

describe('renderMarkdownToHtml: code and math', () => {
  it('highlights fenced code by language, with a copy button', () => {
    const el = render('```ts\nconst a: number = 1 < 2 ? 3 : 4;\n```');
    const code = el.querySelector('.md-code pre code');
    expect(code?.className).toBe('hljs language-ts');
    expect(code?.querySelector('.hljs-keyword')?.textContent).toBe('const');
    expect(code?.textContent).toBe('const a: number = 1 < 2 ? 3 : 4;');
    expect(el.querySelector('.md-code button.md-copy')).not.toBeNull();
    expect(el.querySelector('.md-code-lang')?.textContent).toBe('ts');
  });

  it('renders unknown languages and indented code as escaped text', () => {
    const el = render('```brainfuck\n<+>\n```\n\n    <indented>');
    const blocks = el.querySelectorAll('pre code');
    expect(blocks[0]?.innerHTML).toBe('&lt;+&gt;');
    expect(blocks[1]?.textContent).toBe('<indented>');
    expect(blocks[1]?.className).toBe('hljs');
  });

  it('every fence language the renderer lists is registered in the lazy highlight.js chunk', () => {
    const missing = [...HIGHLIGHT_LANGUAGES].filter((lang) => highlightCode('x', lang) === null);
    expect(missing).toEqual([]);
  });

  it('typesets inline and display math with KaTeX, leaving prices as text', () => {
    const el = render('Prices $5 and $10. Inline $x^2$ and \\(a+b\\).\n\n$$\n\\frac{1}{2}\n$$\n\n\\[\ny\n\\]\n\nText $$z$$ end.');
    expect(el.querySelectorAll('.katex')).toHaveLength(5);
    expect(el.querySelectorAll('.md-math-display .katex-display')).toHaveLength(2);
    expect(el.querySelector('p')?.textContent).toContain('Prices $5 and $10.');
  });

  it('math that fails to parse renders as its source, without throwing', () => {
    const el = render('$\\frac{1}{$');
    expect(el.textContent).toContain('\\frac{1}{');
  });

  it('renderMarkdown reports no pending upgrade once the extras are loaded', () => {
    expect(renderMarkdown('```js\nx\n```\n\n$y$').upgrade).toBeNull();
  });
});

describe('click handlers', () => {
  it('loadImageOnClick swaps a placeholder for the image, without referrer', () => {
    // (Inside a link the click must not follow it: the handler prevents the default. Not
    // dispatched through a real <a> here, since happy-dom would navigate mid-dispatch.)
    const el = render('![alt text](https://img.example/a.png)');
    document.body.append(el);
    const stop = loadImageOnClick(el);
    const button = el.querySelector<HTMLButtonElement>('button.md-image')!;
    const event = new MouseEvent('click', { bubbles: true, cancelable: true });
    button.dispatchEvent(event);
    expect(event.defaultPrevented).toBe(true);
    const img = el.querySelector('img');
    expect(img?.getAttribute('src')).toBe('https://img.example/a.png');
    expect(img?.getAttribute('referrerpolicy')).toBe('no-referrer');
    expect(img?.getAttribute('alt')).toBe('alt text');
    expect(el.querySelector('button.md-image')).toBeNull();
    stop();
    el.remove();
  });

  it('loadImageOnClick ignores placeholders whose source is not http(s), and stops when asked', () => {
    const el = document.createElement('div');
    el.innerHTML = '<button class="md-image" data-src="javascript:alert(1)">x</button><p><button class="md-image" data-src="https://a.example/i.png">y</button></p>';
    const stop = loadImageOnClick(el);
    el.querySelector('button')!.click();
    expect(el.querySelector('img')).toBeNull();
    stop();
    el.querySelector('p button')!.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    expect(el.querySelector('img')).toBeNull();
  });

  it('copyCodeOnClick copies the code text of the block', async () => {
    const el = render('```py\nprint("<hi>")\n```');
    const copied: string[] = [];
    const stop = copyCodeOnClick(el, async (text) => {
      copied.push(text);
    });
    el.querySelector<HTMLButtonElement>('button.md-copy')!.click();
    await Promise.resolve();
    expect(copied).toEqual(['print("<hi>")']);
    expect(el.querySelector('button.md-copy')?.getAttribute('data-state')).toBe('copied');
    stop();
  });
});
