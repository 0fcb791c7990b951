/**
 * Open WebUI keeps a model's reasoning inside the message text, as a collapsible block:
 *
 *   <details type="reasoning" done="true" duration="3">
 *   <summary>Thought for 3 seconds</summary>
 *   > first line of reasoning
 *   > second line
 *   </details>
 *   The answer…
 *
 * Parley keeps reasoning in its own field. These two functions convert between the two.
 */

const BLOCK = /<details\s+type="reasoning"[^>]*>([\s\S]*?)<\/details>\s*/g;
const THINK = /^\s*<think>([\s\S]*?)<\/think>\s*/;

/** Pulls reasoning blocks (and a leading `<think>…</think>`) out of `content`. */
export function splitReasoning(content: string): { content: string; reasoning: string } {
  const parts: string[] = [];
  let rest = content.replace(BLOCK, (_all, inner: string) => {
    parts.push(unquote(inner.replace(/<summary>[\s\S]*?<\/summary>/, '')));
    return '';
  });
  const think = THINK.exec(rest);
  if (think) {
    parts.push(think[1]!.trim());
    rest = rest.slice(think[0].length);
  }
  return parts.length === 0 ? { content, reasoning: '' } : { content: rest, reasoning: parts.filter(Boolean).join('\n\n') };
}

/** `content` with `reasoning` in front as Open WebUI writes it (nothing added when there is none). */
export function joinReasoning(content: string, reasoning: string, seconds?: number): string {
  if (!reasoning) return content;
  const quoted = reasoning.split('\n').map((l) => `> ${l}`).join('\n');
  const duration = seconds !== undefined ? ` duration="${Math.max(0, Math.round(seconds))}"` : '';
  const summary = seconds !== undefined ? `Thought for ${Math.max(0, Math.round(seconds))} seconds` : 'Thoughts';
  return `<details type="reasoning" done="true"${duration}>\n<summary>${summary}</summary>\n${quoted}\n</details>\n${content}`;
}

function unquote(inner: string): string {
  return inner
    .trim()
    .split('\n')
    .map((l) => l.replace(/^>\s?/, ''))
    .join('\n')
    .trim();
}
