import type { MessageContext } from '../storage/schema';

function attr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/\n/g, ' ');
}

/**
 * What the model receives for a question with pages attached: each page in a clearly
 * delimited block before the question, so the model can tell the page from what was asked.
 * A closing tag inside the page text is broken up, so a page cannot end its own block.
 */
export function withContext(content: string, context: readonly MessageContext[] | undefined): string {
  if (!context || context.length === 0) return content;
  const blocks = context.map((c) => {
    const note = c.truncated ? ' truncated="true"' : '';
    const body = c.text.replace(/<\/context>/gi, '</ context>');
    return `<context source="url" url="${attr(c.url)}" title="${attr(c.title)}"${note}>\n${body}\n</context>`;
  });
  return `${blocks.join('\n\n')}\n\n${content}`;
}
