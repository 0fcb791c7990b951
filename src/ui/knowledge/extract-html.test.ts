// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { extractHtml } from './extract-html';
import { ARTICLE_HTML } from '../../../e2e/fake-llm/pages';

describe('extractHtml', () => {
  it('reads the article as markdown, without menus, scripts, header, footer or asides', () => {
    expect(extractHtml(ARTICLE_HTML)).toBe('# Otters at work\n\nSea otters use stones as tools to open shells.\n\n- They keep a favourite stone\n- in a pouch under the arm.');
  });

  it('writes headings, paragraphs, nested and ordered lists, inline code and line breaks', () => {
    const html = `<body><h2>Install</h2><p>Run <code>npm i</code> first.<br>Then:</p>
      <ol start="3"><li>build</li><li>test<ul><li>unit</li><li>e2e</li></ul></li></ol><h3>  Done </h3><p>ok</p></body>`;
    expect(extractHtml(html)).toBe('## Install\n\nRun `npm i` first.\nThen:\n\n3. build\n4. test\n  - unit\n  - e2e\n\n### Done\n\nok');
  });

  it('fences <pre> with its language and keeps its lines', () => {
    const html = '<h1>Code</h1><pre><code class="language-python">def f():\n    return 1\n</code></pre><p>after</p>';
    expect(extractHtml(html)).toBe('# Code\n\n```python\ndef f():\n    return 1\n```\n\nafter');
  });

  it('turns tables into markdown tables, escaping pipes', () => {
    const html = '<h1>T</h1><table><thead><tr><th>name</th><th>value</th></tr></thead><tbody><tr><td>a|b</td><td><p>1</p></td></tr><tr><td>c</td></tr></tbody></table>';
    expect(extractHtml(html)).toBe('# T\n\n| name | value |\n| --- | --- |\n| a\\|b | 1 |\n| c |  |');
  });

  it('quotes blockquotes and uses the title as heading when the page has none', () => {
    expect(extractHtml('<title>Notes</title><blockquote><p>one</p><p>two</p></blockquote>')).toBe('# Notes\n\n> one\n>\n> two');
  });

  it('gives an empty string for a page with no readable text', () => {
    expect(extractHtml('<script>x()</script><nav>menu</nav>')).toBe('');
  });
});
