// @vitest-environment happy-dom
import './happy-dom-fix.test-support';
import { describe, expect, it, vi } from 'vitest';
import { shownHtml } from './stream-dom.test-support';

/** The markdown modules with nothing lazily loaded yet (a fresh module graph per call). */
async function fresh() {
  vi.resetModules();
  const extras = await import('./load-markdown-extras');
  const markdown = await import('./render-markdown');
  const stream = await import('./stream-renderer');
  return { ...extras, ...markdown, ...stream };
}

describe('lazy highlight.js and KaTeX', () => {
  it('text without code or math loads nothing', async () => {
    const m = await fresh();
    expect(m.renderMarkdown('# Just text\n\nwith a [link](https://x.example).').upgrade).toBeNull();
    expect(m.loadedExtras()).toEqual({});
  });

  it('renders code as escaped text and math as source until loaded, then reports the upgrade', async () => {
    const m = await fresh();
    const text = '```js\nconst a = 1 < 2;\n```\n\nInline $x^2$.\n\n$$\ny\n$$';
    const first = m.renderMarkdown(text);
    const el = document.createElement('div');
    el.innerHTML = first.html;
    expect(el.querySelector('code.hljs.language-js')?.innerHTML).toBe('const a = 1 &lt; 2;');
    expect(Array.from(el.querySelectorAll('.md-math-source'), (s) => s.textContent)).toEqual(['$x^2$', '$$\ny\n$$']);
    expect(el.querySelector('.katex')).toBeNull();

    expect(first.upgrade).not.toBeNull();
    await first.upgrade;
    const second = m.renderMarkdown(text);
    expect(second.upgrade).toBeNull();
    el.innerHTML = second.html;
    expect(el.querySelector('code .hljs-keyword')?.textContent).toBe('const');
    expect(el.querySelectorAll('.katex')).toHaveLength(2);
  });

  it('the stream renderer re-renders its finished blocks when the modules arrive', async () => {
    const m = await fresh();
    const el = document.createElement('div');
    let renders = 0;
    const frames: Array<() => void> = [];
    const r = m.createStreamRenderer(el, { schedule: (cb) => frames.push(cb), onRender: () => renders++ });
    const text = 'Intro paragraph.\n\n```py\nprint(1)\n```\n\nMath: $e^{i\\pi}$';
    for (const end of [text.indexOf('```'), text.indexOf('Math'), text.length]) {
      r.update(text.slice(0, end));
      frames.shift()!();
    }
    r.flush();
    const intro = el.querySelector('p');
    expect(el.querySelector('.hljs-built_in, .hljs-number')).toBeNull();
    expect(el.querySelector('.md-math-source')).not.toBeNull();

    await m.preloadMarkdownExtras();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(el.querySelector('code .hljs-number')?.textContent).toBe('1');
    expect(el.querySelector('.md-math-source')).toBeNull();
    expect(el.querySelector('.katex')).not.toBeNull();
    expect(el.querySelector('p')).toBe(intro); // blocks without code or math were not touched
    expect(shownHtml(el)).toBe(m.renderMarkdownToHtml(text));
    expect(renders).toBeGreaterThan(1);
  });

  it('math in the open tail of a stream is typeset once KaTeX arrives, without a new update', async () => {
    const m = await fresh();
    const el = document.createElement('div');
    const frames: Array<() => void> = [];
    const r = m.createStreamRenderer(el, { schedule: (cb) => frames.push(cb) });
    r.update('Still streaming $a+b$ and');
    frames.shift()!();
    expect(el.querySelector('.md-tail .md-math-source')?.textContent).toBe('$a+b$');
    await m.preloadMarkdownExtras();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(frames).toHaveLength(1); // the upgrade asked for a frame
    frames.shift()!();
    expect(el.querySelector('.md-tail .katex')).not.toBeNull();
  });
});
