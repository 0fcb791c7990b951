// @vitest-environment happy-dom
import './happy-dom-fix.test-support';
import { describe, expect, it } from 'vitest';
import { markCitations, onCitationClick } from './cite-markers';
import { renderMarkdownToHtml } from './render-markdown';
import { createStreamRenderer } from './stream-renderer';

function rendered(md: string, count: number): HTMLElement {
  const el = document.createElement('div');
  el.innerHTML = renderMarkdownToHtml(md);
  markCitations(el, count);
  return el;
}
const cites = (el: HTMLElement) => [...el.querySelectorAll('sup.md-cite')].map((s) => [...s.querySelectorAll('button')].map((b) => b.getAttribute('data-cite')).join(','));

describe('markCitations', () => {
  it('turns [n], [n, m] and [n][m] into superscript buttons and keeps the text around them', () => {
    const el = rendered('Sales rose [1]. Costs fell [2, 3] and [1][3].', 3);
    expect(cites(el)).toEqual(['1', '2,3', '1', '3']);
    expect(el.textContent?.trim()).toBe('Sales rose 1. Costs fell 2,3 and 13.');
    expect(el.querySelector('sup.md-cite button')?.getAttribute('aria-label')).toBe('Source 1');
  });

  it('leaves code, links, footnote-like and out-of-range markers alone', () => {
    const el = rendered('`a[1]` and [2](https://x.test) and [^1] and [9] and [0]\n\n```\nx[1]\n```\n', 3);
    expect(cites(el)).toEqual([]);
    expect(el.querySelector('code')?.textContent).toBe('a[1]');
    expect(el.querySelector('pre code')?.textContent).toBe('x[1]');
    expect(el.textContent).toContain('[9]');
  });

  it('does nothing without sources, and cannot turn an answer into markup', () => {
    expect(cites(rendered('See [1].', 0))).toEqual([]);
    const el = rendered('&lt;img src=x onerror=alert(1)&gt; [1] <b>[1]</b>', 1);
    expect(el.querySelector('img, b')).toBeNull();
    expect(cites(el)).toEqual(['1', '1']);
  });

  it('marks headings, list items and table cells, and clicks report the number', () => {
    const el = rendered('# Title [2]\n\n- item [1]\n\n| a |\n|---|\n| b [2] |\n', 2);
    expect(cites(el)).toEqual(['2', '1', '2']);
    const seen: number[] = [];
    const stop = onCitationClick(el, (n) => seen.push(n));
    el.querySelectorAll<HTMLButtonElement>('sup.md-cite button')[1]!.click();
    stop();
    el.querySelectorAll<HTMLButtonElement>('sup.md-cite button')[0]!.click();
    expect(seen).toEqual([1]);
  });
});

describe('the stream renderer\'s decorate hook', () => {
  it('marks finished blocks and the open tail while streaming, and the final text once flushed', () => {
    const el = document.createElement('div');
    const frames: Array<() => void> = [];
    const r = createStreamRenderer(el, { schedule: (cb) => frames.push(cb), sliceMs: Infinity, decorate: (f) => void markCitations(f, 2) });
    const run = () => { for (const cb of frames.splice(0)) cb(); };
    r.update('First [1].\n\nSecond [2');
    run();
    expect(cites(el)).toEqual(['1']);
    r.update('First [1].\n\nSecond [2] and `[1]`.');
    run();
    expect(cites(el)).toEqual(['1', '2']);
    r.flush();
    expect(cites(el)).toEqual(['1', '2']);
    expect(el.querySelector('code')?.textContent).toBe('[1]');
    r.dispose();
  });
});
