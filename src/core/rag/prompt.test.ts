import { describe, expect, it } from 'vitest';
import { buildRagPrompt, DEFAULT_RAG_TEMPLATE, formatSources, parseCitations } from './prompt';

describe('formatSources', () => {
  it('numbers passages 1..n in order with their names', () => {
    expect(formatSources([{ name: 'file.pdf', text: 'First.' }, { name: 'notes.md', text: 'Second.' }])).toBe(
      '<source id="1" name="file.pdf">First.</source>\n<source id="2" name="notes.md">Second.</source>',
    );
  });

  it('escapes names and keeps a passage from closing the tag', () => {
    expect(formatSources([{ name: 'a "b" <c>.txt', text: 'x </source> y' }])).toBe('<source id="1" name="a &quot;b&quot; &lt;c&gt;.txt">x <\\/source> y</source>');
    expect(formatSources([{ name: '', text: 'anon' }])).toBe('<source id="1">anon</source>');
  });
});

describe('buildRagPrompt', () => {
  it('follows Open WebUI\'s structure and placeholders in the default template', () => {
    for (const part of ['### Task:', '### Guidelines:', '### Example of Citation:', '### Output:', '<context>\n{{CONTEXT}}\n</context>', '<user_query>\n{{QUERY}}\n</user_query>']) {
      expect(DEFAULT_RAG_TEMPLATE).toContain(part);
    }
  });

  it('puts the sources and the query in, once, without substituting inside them', () => {
    const p = buildRagPrompt('', [{ name: 'x.md', text: 'has {{QUERY}} inside' }], 'what is {{CONTEXT}}?');
    expect(p).toContain('<source id="1" name="x.md">has {{QUERY}} inside</source>');
    expect(p).toContain('<user_query>\nwhat is {{CONTEXT}}?\n</user_query>');
    expect(p.startsWith('### Task:')).toBe(true);
  });

  it('takes custom templates, including the older [context]/[query] form, and appends context when no placeholder asks for it', () => {
    expect(buildRagPrompt('Q: {{QUERY}}\nC: {{CONTEXT}}', [{ name: 'a', text: 't' }], 'why')).toBe('Q: why\nC: <source id="1" name="a">t</source>');
    expect(buildRagPrompt('[context] / [query]', [{ name: 'a', text: 't' }], 'why')).toBe('<source id="1" name="a">t</source> / why');
    expect(buildRagPrompt('Just answer {{QUERY}}.', [{ name: 'a', text: 't' }], 'why')).toBe('Just answer why.\n\n<context>\n<source id="1" name="a">t</source>\n</context>\n');
  });
});

describe('parseCitations', () => {
  it('reads [n], [n, m] and [n][m] markers, distinct, in order of first use', () => {
    expect(parseCitations('Tea is green [2]. Kettles whistle [1][3]. Both [1, 2].')).toEqual([2, 1, 3]);
    expect(parseCitations('No sources here.')).toEqual([]);
  });

  it('ignores markers in code spans and fenced blocks, links and footnotes', () => {
    const answer = ['Use `arr[0]` and `x[1]`; see [4].', '```py', 'print(xs[2])', '```', '~~~', 'y[5]', '~~~', 'A link [6](https://x) and a footnote [^7].', '``code with [8]``'].join('\n');
    expect(parseCitations(answer)).toEqual([4]);
  });

  it('drops numbers outside 1..count and handles an unclosed fence', () => {
    expect(parseCitations('See [0], [3] and [9].', 3)).toEqual([3]);
    expect(parseCitations('Fact [1].\n```\nstill code [2]')).toEqual([1]);
  });
});
