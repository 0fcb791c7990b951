// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { extractReadable } from './extract-readable';
import { tidyPageText } from '../../core/launch/page-text';
import { ARTICLE_HTML } from '../../../e2e/fake-llm/pages';

const read = (html: string) => {
  const r = extractReadable(html);
  return { title: r.title, text: tidyPageText(r.text).text };
};

describe('extractReadable', () => {
  it('reads the article, one block a line, without scripts, styles, menus, header, footer or asides', () => {
    expect(read(ARTICLE_HTML)).toEqual({
      title: 'Otters at work',
      text: 'Otters at work\n\nSea otters use stones as tools to open shells.\n\n- They keep a favourite stone\n\n- in a pouch under the arm.',
    });
  });

  it('takes main without an article, the body without either; og:title before <title>', () => {
    expect(read('<title>T</title><meta property="og:title" content=" Og  title "><div>menu</div><main><p>a<br>b</p></main>')).toEqual({ title: 'Og title', text: 'a\nb' });
    expect(read('<body><p>Just <b>this</b>.</p><noscript>enable js</noscript></body>')).toEqual({ title: '', text: 'Just this.' });
  });

  it('keeps line breaks inside <pre>; takes the longest of several articles', () => {
    expect(read('<article>short</article><article><pre>line 1\nline 2</pre></article>').text).toBe('line 1\nline 2');
  });
});
