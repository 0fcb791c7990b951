// @vitest-environment happy-dom
import './happy-dom-fix.test-support';
import { describe, expect, it } from 'vitest';
import { renderMarkdownToHtml } from './render-markdown';
import { createStreamRenderer } from './stream-renderer';

/** 40 paragraphs and a heading: a whole answer that arrives in one piece. */
const DOC = `# Title\n\n${Array.from({ length: 40 }, (_, i) => `Paragraph ${i} with *some* words.`).join('\n\n')}\n\nLast line`;

function sliced() {
  const frames: Array<() => void> = [];
  let clock = 0;
  const el = document.createElement('div');
  // Every clock read costs 10 "ms", so a 30 ms budget ends after a few groups of blocks.
  const r = createStreamRenderer(el, { schedule: (cb) => frames.push(cb), sliceMs: 30, now: () => (clock += 10) });
  const frame = () => {
    for (const cb of frames.splice(0)) cb();
  };
  return { el, r, frame, frames };
}

const shownText = (el: HTMLElement) => el.textContent ?? '';
const expectedText = () => {
  const d = document.createElement('div');
  d.innerHTML = renderMarkdownToHtml(DOC);
  return d.textContent ?? '';
};

describe('createStreamRenderer: a large render is split over frames', () => {
  it('commits part of the finished blocks per frame and ends with everything', () => {
    const { el, r, frame, frames } = sliced();
    r.update(DOC);
    frame();
    const afterFirst = r.stats().blockRenders;
    expect(afterFirst).toBeGreaterThan(0);
    expect(shownText(el).length).toBeLessThan(expectedText().length);
    expect(frames.length).toBe(1); // the continuation is scheduled
    let guard = 0;
    while (frames.length > 0 && guard++ < 50) frame();
    r.flush();
    expect(shownText(el)).toBe(expectedText());
  });

  it('a flush during slicing waits for the continuation instead of rendering all at once', () => {
    const { el, r, frame, frames } = sliced();
    r.update(DOC);
    frame();
    const before = shownText(el);
    r.flush();
    expect(shownText(el)).toBe(before); // nothing rendered synchronously
    let guard = 0;
    while (frames.length > 0 && guard++ < 50) frame();
    expect(shownText(el)).toBe(expectedText());
    expect(el.querySelector('.md-tail')).toBeNull();
  });
});
