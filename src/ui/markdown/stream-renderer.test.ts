// @vitest-environment happy-dom
import './happy-dom-fix.test-support';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { lexMarkdown, preloadMarkdownExtras, renderMarkdownToHtml } from './render-markdown';
import { manual, shownHtml } from './stream-dom.test-support';
import { countFinalTokens } from './count-final-tokens';
import { createStreamRenderer, type StreamRenderer } from './stream-renderer';

/** Everything whose meaning depends on text still to come, ending inside an open fence. */
const CORPUS = [
  '# Streaming answer',
  '',
  'Setext heading',
  '==============',
  '',
  'Intro with **bold**, `code`, a [link](https://example.com), inline math $x^2 + y^2$ and \\(a+b\\),',
  'and prices: $5 and $10.',
  '',
  '1. First item',
  '',
  '2. Second item, after a blank line',
  'continued lazily',
  '',
  '3. Third item',
  '   - nested a',
  '   - nested b',
  '',
  '| Col A | Col B |',
  '|-------|------:|',
  '| 1     | $z$   |',
  '| 3     | 4     |',
  '',
  '~~~markdown',
  'A fence that shows a fence:',
  '```js',
  'inner();',
  '```',
  '~~~',
  '',
  '$$',
  '\\frac{a}{b}',
  '= c',
  '$$',
  '',
  'Text right before display math:',
  '$$',
  'x^2',
  '$$',
  'and after it.',
  '',
  '> A quote',
  'continued lazily',
  '',
  'Para that becomes a heading',
  '---',
  '',
  '- [ ] a task',
  '',
  '<script>alert(1)</script>',
  '',
  '```python',
  'def still_open():',
  '    return "no closing fence"',
].join('\n');

function stream(r: StreamRenderer, frame: () => void, text: string, step: number): void {
  for (let end = step; end < text.length + step; end += step) {
    r.update(text.slice(0, end));
    frame();
  }
}

/** An answer of about `sections` × 700 tokens: headings, prose with math, a list, a table, a 40-line code block, display math. */
function longAnswer(sections: number): string {
  const section = (i: number) => {
    const code = Array.from({ length: 40 }, (_, k) => `  const v${k} = compute(${k}, "item-${i}") + ${k * 3}; // step ${k}`);
    return [
      `## Section ${i}`,
      '',
      `This part explains **topic ${i}** with \`inline code\`, a [link](https://example.com/${i}) and $a_${i}^2 + b^2$; it costs $5 or $10.`,
      '',
      '- first point with some words in it',
      '- second point, slightly longer than the first one',
      '',
      '| Name | Value |',
      '|------|------:|',
      `| alpha | ${i} |`,
      '',
      '```ts',
      `function section${i}() {`,
      ...code,
      '}',
      '```',
      '',
      '$$',
      `\\int_0^${i} x^2\\,dx = \\frac{${i}^3}{3}`,
      '$$',
      '',
      'Closing paragraph for this section, which wraps up the discussion with a few more words.',
      '',
    ].join('\n');
  };
  return Array.from({ length: sections }, (_, i) => section(i + 1)).join('\n');
}

beforeAll(() => preloadMarkdownExtras());

describe('createStreamRenderer: same result as rendering at once', () => {
  it('a text streamed one character per frame ends as the whole text rendered at once', () => {
    const { el, r, frame } = manual();
    stream(r, frame, CORPUS, 1);
    r.flush();
    expect(shownHtml(el)).toBe(renderMarkdownToHtml(CORPUS));
    expect(el.querySelector('script')).toBeNull();
  });

  it('split in two anywhere, it ends as the whole text rendered at once', () => {
    // Every 5th split point (every one is ~15 s under happy-dom); the test above already
    // takes a frame at every character.
    const expected = renderMarkdownToHtml(CORPUS);
    for (let k = 1; k < CORPUS.length; k += 5) {
      const { el, r, frame } = manual();
      r.update(CORPUS.slice(0, k));
      frame();
      r.update(CORPUS);
      frame();
      r.flush();
      if (shownHtml(el) !== expected) expect({ split: k, html: shownHtml(el) }).toEqual({ split: k, html: expected });
    }
  });

  it('CRLF line endings stream to the same result', () => {
    const crlf = CORPUS.replace(/\n/g, '\r\n');
    const { el, r, frame } = manual();
    stream(r, frame, crlf, 3);
    r.flush();
    expect(shownHtml(el)).toBe(renderMarkdownToHtml(CORPUS));
  });

  it('flush is undone if the text grows after all (a continued answer)', () => {
    const { el, r, frame } = manual();
    const cut = CORPUS.indexOf('and after it.');
    r.update(CORPUS.slice(0, cut));
    frame();
    r.flush();
    expect(shownHtml(el)).toBe(renderMarkdownToHtml(CORPUS.slice(0, cut)));
    stream(r, frame, CORPUS, 7);
    r.flush();
    expect(shownHtml(el)).toBe(renderMarkdownToHtml(CORPUS));
  });
});

/** Lines that, in random order, make the block structure ambiguous in every way we know. */
const FUZZ_LINES = [
  '# Heading', 'Paragraph text with **bold**, `code` and $x^2$.', 'Setext', '===', '---', '***', '',
  '', '', '- item', '  - nested', '1. first', '2. second', '2.', '3)', '* star', '- [ ] task', '   continuation',
  '> quote', 'lazy line', '| a | b |', '|---|---|', '| 1 | 2 |', '```js', 'const x = 1;', '```', '~~~',
  '    indented code', '$$', 'E = mc^2', '\\[', '\\]', '$$x$$', 'Text $$y$$ end', '<div>', '</div>',
  '<pre>', '</pre>', '<!-- c -->', '[link](https://x.example)', '![img](https://x.example/a.png)',
  'Price $5 and $10', '[1]: https://example.com', 'Hard break  ', '#', '-', 'x\r',
];

function seededRandom(seed: number): () => number {
  return () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
}

describe('createStreamRenderer: random documents (property)', () => {
  it('any document, streamed in any steps, ends as the whole text rendered at once', () => {
    const random = seededRandom(20240601);
    for (let doc = 0; doc < 60; doc++) {
      const lines = Array.from({ length: 3 + Math.floor(random() * 14) }, () => FUZZ_LINES[Math.floor(random() * FUZZ_LINES.length)]!);
      const text = lines.join('\n') + (random() < 0.5 ? '\n' : '');
      const step = random() < 0.5 ? 1 : 1 + Math.floor(random() * 7);
      const { el, r, frame } = manual();
      stream(r, frame, text, step);
      r.flush();
      if (shownHtml(el) !== renderMarkdownToHtml(text)) {
        expect({ text, step, html: shownHtml(el) }).toEqual({ text, step, html: renderMarkdownToHtml(text) });
      }
    }
  });
});

describe('createStreamRenderer: finished blocks once, the open block each frame', () => {
  it('keeps the nodes of finished blocks: later updates never render them again', () => {
    const { el, r, frame } = manual();
    const finished = new Set<Node>();
    for (let end = 5; end < CORPUS.length + 5; end += 5) {
      r.update(CORPUS.slice(0, end));
      frame();
      for (const chunk of el.querySelectorAll(':scope > .md-chunk')) for (const node of chunk.childNodes) finished.add(node);
      for (const node of finished) expect(node.parentNode?.parentNode).toBe(el);
    }
    const blocks = lexMarkdown(CORPUS).filter((t) => t.type !== 'space').length;
    expect(finished.size).toBeGreaterThan(blocks); // elements and the newlines between them
    expect(r.stats().blockRenders).toBeLessThan(blocks); // once each; the open fence is still the tail
    expect(el.querySelector('.md-tail')?.textContent).toContain('def still_open():');
  });

  it('renders the open last block into the tail, again each frame, and commits it when the next begins', () => {
    const { el, r, frame } = manual();
    r.update('Hello');
    frame();
    const tail = el.querySelector('.md-tail')!;
    expect(tail.innerHTML).toBe('<p>Hello</p>\n');
    r.update('Hello wor');
    frame();
    expect(el.querySelector('.md-tail')).toBe(tail);
    expect(tail.textContent).toBe('Hello wor\n');
    expect(r.stats()).toMatchObject({ tailRenders: 2, blockRenders: 0 });

    // A block's first line decides its kind ("2" may yet become "2. b" and join a list
    // above), so the block before it is final only once that line is complete.
    r.update('Hello world\n\nNext');
    frame();
    expect(r.stats().blockRenders).toBe(0);
    r.update('Hello world\n\nNext line\n');
    frame();
    expect(el.querySelector('.md-chunk')?.innerHTML).toBe('<p>Hello world</p>\n');
    expect(tail.innerHTML).toBe('<p>Next line</p>\n');
    expect(r.stats().blockRenders).toBe(1);
  });

  it('shows an open fence as plain text in the tail and highlights it once it is final', () => {
    const { el, r, frame } = manual();
    r.update('```js\nconst a = 1;\n');
    frame();
    expect(el.querySelector('.md-tail code.language-js')?.innerHTML).toBe('const a = 1;');
    r.update('```js\nconst a = 1;\n```\n\nAfter.\n');
    frame();
    expect(el.querySelector('.md-tail code')).toBeNull();
    expect(el.querySelector('.md-chunk > .md-code code .hljs-keyword')?.textContent).toBe('const');
  });

  it('keeps blocks open while later text could still change them', () => {
    const final = (src: string) => countFinalTokens(lexMarkdown(src), src);
    expect(final('1. a\n\n2')).toBe(0); // "2" may become "2. b", continuing the list
    expect(final('1. a\n\n2. b\n\nText\n')).toBe(2); // the list is over once "Text" is known
    expect(final('Para\n\n| a | b |\n')).toBe(2);
    expect(final('Para\n| a | b |\n|---|---|\n\nx\n')).toBe(3); // paragraph and table, no blank line between them
    expect(final('# Title\nText\n')).toBe(1); // a heading ends with its line
    expect(final('Setext\n\n---\n')).toBe(2); // the rule is the open block; nothing follows it yet
    expect(final('```\ncode\n\n\nmore')).toBe(0); // an open fence is one token to the end
    expect(final('$$\nx\n$$\nText\n')).toBe(1);
  });
});

describe('createStreamRenderer: scheduling and resets', () => {
  it('coalesces updates: 100 updates before a frame are one render', () => {
    const { el, r, frame, scheduled } = manual();
    let text = '';
    for (let i = 0; i < 100; i++) r.update((text += `word${i} `));
    expect(scheduled()).toBe(1);
    expect(el.childNodes).toHaveLength(0);
    frame();
    expect(r.stats()).toMatchObject({ renders: 1, tailRenders: 1, lexedChars: text.length });
    expect(el.textContent).toBe(text + '\n');
  });

  it('a frame with nothing new does nothing', () => {
    const { r, frame } = manual();
    r.update('Same');
    frame();
    r.update('Same');
    frame();
    expect(r.stats().renders).toBe(1);
  });

  it('starts over when the text is not an extension of what was rendered', () => {
    const { el, r, frame } = manual();
    stream(r, frame, '# First\n\nAnswer one.\n\nMore.', 4);
    expect(r.stats().resets).toBe(0);
    r.update('# Second\n\nAnother text.');
    frame();
    r.flush();
    expect(r.stats().resets).toBe(1);
    expect(shownHtml(el)).toBe(renderMarkdownToHtml('# Second\n\nAnother text.'));
    r.update('');
    frame();
    expect(el.textContent).toBe('');
  });

  it('runs onRender after each render and stops after dispose', () => {
    const frames: Array<() => void> = [];
    let renders = 0;
    const el = document.createElement('div');
    const r = createStreamRenderer(el, { schedule: (cb) => frames.push(cb), onRender: () => renders++ });
    r.update('One');
    frames.shift()!();
    expect(renders).toBe(1);
    r.update('One two');
    r.dispose();
    frames.shift()?.();
    r.update('One two three');
    r.flush();
    expect(frames).toHaveLength(0);
    expect(renders).toBe(1);
    expect(el.textContent).toBe('One\n');
  });

  it('by default renders on an animation frame, at most one render per 80 ms', () => {
    vi.useFakeTimers({ toFake: ['requestAnimationFrame', 'cancelAnimationFrame', 'performance', 'setTimeout'] });
    try {
      const el = document.createElement('div');
      const r = createStreamRenderer(el);
      r.update('Frame *one*');
      expect(el.textContent).toBe('');
      vi.advanceTimersByTime(17);
      expect(el.querySelector('em')?.textContent).toBe('one');
      r.update('Frame *one* two');
      vi.advanceTimersByTime(50); // too soon after the last render
      expect(r.stats().renders).toBe(1);
      vi.advanceTimersByTime(50); // the first frame at least 80 ms after the last render
      expect(r.stats().renders).toBe(2);
      expect(el.textContent).toBe('Frame one two\n');
      r.dispose();
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('createStreamRenderer: work does not grow with the length of the answer', () => {
  /** Streams `text` `step` chars per frame; returns the chars lexed per frame. */
  function lexedPerFrame(text: string, step: number): { total: number; perFrame: number[] } {
    const { r, frame } = manual();
    const perFrame: number[] = [];
    let before = 0;
    for (let end = step; end < text.length + step; end += step) {
      r.update(text.slice(0, end));
      frame();
      const now = r.stats().lexedChars;
      perFrame.push(now - before);
      before = now;
    }
    r.flush();
    expect(r.stats().resets).toBe(0);
    return { total: r.stats().lexedChars, perFrame };
  }

  it('lexes each character a bounded number of times, for 2,000 and 20,000 tokens alike', () => {
    const short = longAnswer(3); // ~2,000 tokens
    const long = longAnswer(30); // ~20,000 tokens
    const step = 48; // ~12 tokens per frame
    const s = lexedPerFrame(short, step);
    const l = lexedPerFrame(long, step);
    const perCharShort = s.total / short.length;
    const perCharLong = l.total / long.length;
    // Only the open block is lexed again each frame: about (open block size / step) times per
    // char, whatever the length. Re-lexing the whole text would make this ~ length / (2 × step).
    expect(perCharLong).toBeLessThan(perCharShort * 1.2);
    expect(perCharLong).toBeLessThan(60);
    // Per 1,000 tokens, the last tenth of the stream costs what the first tenth did.
    const tenth = Math.floor(l.perFrame.length / 10);
    // (l.perFrame counts lexing; what the browser lays out again per frame is bounded by
    // chunking, checked below.)
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    expect(sum(l.perFrame.slice(-tenth))).toBeLessThan(sum(l.perFrame.slice(0, tenth)) * 1.2);
  });

  it('keeps the container\'s children few: finished blocks go into chunks of bounded size', () => {
    const { el, r, frame } = manual();
    stream(r, frame, longAnswer(30), 400);
    const chunks = Array.from(el.children).filter((c) => c.classList.contains('md-chunk'));
    expect(el.children.length).toBe(chunks.length + 1); // + the tail
    expect(chunks.length).toBeGreaterThan(5);
    for (const chunk of chunks) expect(chunk.childNodes.length).toBeLessThanOrEqual(64);
  });
});
