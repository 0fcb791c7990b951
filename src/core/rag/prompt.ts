/**
 * The retrieval prompt, shaped like Open WebUI's RAG_TEMPLATE (task, guidelines, a citation
 * example, output, then the context and the query in tags) in our own words, with the same
 * placeholders `{{CONTEXT}}` and `{{QUERY}}` so templates written for Open WebUI work here.
 * Passages go in as `<source id="n" name="file">…</source>`, numbered 1..n in order, and the
 * answer cites them as [n]; `parseCitations` reads those markers back.
 */

export const DEFAULT_RAG_TEMPLATE = `### Task:
Answer the user's query with the help of the context below. Where a statement rests on a passage, cite it inline as [id], using the id attribute of that passage's <source> tag.

### Guidelines:
- Say so plainly when you do not know the answer.
- Ask the user to clarify when the query is ambiguous.
- Answer in the language of the user's query.
- If the context is garbled or poorly extracted, tell the user, then give the best answer you can.
- If the context does not hold the answer but you know it, say that it is not from the provided sources and answer from your own knowledge.
- Cite only sources whose <source> tag has an id; never invent an id.
- Put each citation in its own brackets: [1][2], not [1, 2].
- Do not write XML tags in your answer.
- Keep citations next to the claims they support.

### Example of Citation:
With a passage given as <source id="1" name="report.pdf">, an answer might read:
"Sales rose by 12% in the second quarter [1]."

### Output:
A clear, direct answer to the query, with inline [id] citations wherever the context supports a statement.

<context>
{{CONTEXT}}
</context>

<user_query>
{{QUERY}}
</user_query>
`;

export interface PromptSource {
  /** Shown to the model as the source's name (a file name, a page title). */
  name: string;
  /** The passage. */
  text: string;
}

function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/[\r\n\t]+/g, ' ');
}

/** `<source id="1" name="a.pdf">passage</source>` lines, numbered 1..n in order. */
export function formatSources(sources: readonly PromptSource[]): string {
  // A passage that itself contains "</source>" must not close our tag early.
  return sources
    .map((s, i) => `<source id="${i + 1}"${s.name ? ` name="${escapeAttr(s.name)}"` : ''}>${s.text.replace(/<\/source>/gi, '<\\/source>')}</source>`)
    .join('\n');
}

/** Open WebUI's placeholders, and its older [context]/[query] forms. */
const PLACEHOLDER = /\{\{CONTEXT\}\}|\{\{QUERY\}\}|\[context\]|\[query\]/g;

/**
 * The prompt for `query` with `sources`, from `template` (empty = the default). Both are put in
 * one pass, so a passage or a query that contains "{{QUERY}}" is never substituted again. A
 * template without a context placeholder gets the context appended, so passages are never lost.
 */
export function buildRagPrompt(template: string, sources: readonly PromptSource[], query: string): string {
  const t = template.trim() === '' ? DEFAULT_RAG_TEMPLATE : template;
  const context = formatSources(sources);
  const out = t.replace(PLACEHOLDER, (m) => (m === '{{CONTEXT}}' || m === '[context]' ? context : query));
  return /\{\{CONTEXT\}\}|\[context\]/.test(t) ? out : `${out}\n\n<context>\n${context}\n</context>\n`;
}

/** Fenced blocks (``` or ~~~, to their closing fence or the end), then inline code spans. */
const FENCED = /^ {0,3}(`{3,}|~{3,})[^\n]*\n[\s\S]*?(?:^ {0,3}\1[`~]*[ \t]*$|(?![\s\S]))/gm;
const INLINE_CODE = /(`+)[\s\S]*?\1/g;
/** [1], [1, 2], [1][2]; not a link's text ([1](url)), not a footnote ([^1]). */
const MARKER = /\[(\d{1,4}(?:\s*,\s*\d{1,4})*)\](?!\()/g;

/**
 * The source numbers an answer cites, distinct, in order of first use. Markers inside code are
 * ignored; so are numbers outside 1..`count` when `count` (the number of sources) is given.
 */
export function parseCitations(answer: string, count?: number): number[] {
  const text = answer.replace(FENCED, '').replace(INLINE_CODE, '');
  const seen = new Set<number>();
  for (const m of text.matchAll(MARKER)) {
    for (const part of m[1]!.split(',')) {
      const n = Number(part.trim());
      if (n >= 1 && (count === undefined || n <= count)) seen.add(n);
    }
  }
  return [...seen];
}
