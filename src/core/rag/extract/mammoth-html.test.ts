import { describe, expect, it } from 'vitest';
import { mammothHtmlToMarkdown, parseSimpleHtml } from './mammoth-html';

describe('mammothHtmlToMarkdown', () => {
  it('writes headings, paragraphs, lists (nested) and line breaks, with entities decoded and nothing escaped', () => {
    const html = '<h1>Install &amp; run</h1><p>Version 1.2 (beta) <strong>now</strong>.<br />Next line</p><ul><li>one</li><li>two<ol><li>a</li><li>b</li></ol></li></ul><h2>End</h2>';
    expect(mammothHtmlToMarkdown(html)).toBe('# Install & run\n\nVersion 1.2 (beta) now.\nNext line\n\n- one\n- two\n  1. a\n  2. b\n\n## End');
  });

  it('writes tables with the first row as header, cells flattened and pipes escaped', () => {
    const html = '<table><tr><td><p>Name</p></td><td><p>Size</p></td></tr><tr><td><p>a|b</p><p>more</p></td><td><p>3</p></td></tr></table>';
    expect(mammothHtmlToMarkdown(html)).toBe('| Name | Size |\n| --- | --- |\n| a\\|b more | 3 |');
  });

  it('keeps an image’s alt text only, drops comments and anchors', () => {
    expect(mammothHtmlToMarkdown('<p><a id="_Toc1"></a>See <img src="" alt="a chart" /><!-- c --> here</p>')).toBe('See a chart here');
  });

  it('parses attributes and tolerates a stray <', () => {
    const root = parseSimpleHtml('<a href="x?a=1&amp;b=2">l</a> 1 < 2');
    expect(root.children[0]).toEqual({ tag: 'a', attrs: { href: 'x?a=1&b=2' }, children: ['l'] });
    expect(mammothHtmlToMarkdown('<p>1 < 2</p>')).toBe('1 < 2');
  });
});
