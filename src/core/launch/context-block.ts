import type { MessageContext } from '../storage/schema';

/**
 * What the model receives for a question with pages attached: each page in a clearly
 * delimited block before the question, so the model can tell the page from what was asked.
 * Attribute values are JSON strings (quotes and line breaks escaped); a closing tag inside
 * the page text is broken up, so a page cannot end its own block.
 */
export function withContext(content: string, context: readonly MessageContext[] | undefined): string {
  if (!context?.length) return content;
  const blocks = context.map(
    (c) =>
      `<context source="url" url=${JSON.stringify(c.url)} title=${JSON.stringify(c.title)}${c.truncated ? ' truncated="true"' : ''}>\n${c.text.replace(/<\/context>/gi, '</ context>')}\n</context>\n\n`,
  );
  return blocks.join('') + content;
}
