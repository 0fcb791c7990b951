import { preloadMarkdownExtras } from './load-markdown-extras';
import { lexMarkdown, renderTokensToFragment } from './render-markdown';

/**
 * A short document that walks every path of the renderer: headings, emphasis, lists, a
 * table, links, code in a few languages, inline and display math.
 */
const SAMPLE = [
  '# Heading',
  '',
  'Some *emphasis*, **strong**, `code`, a [link](https://example.com) and $a^2 + b^2 = c^2$.',
  '',
  '1. one',
  '2. two',
  '   - nested',
  '',
  '| a | b |',
  '|---|---|',
  '| 1 | 2 |',
  '',
  '> a quote',
  '',
  '```ts',
  'const x: number = 1;',
  'function f(a: string): string { return a + "!"; }',
  '```',
  '',
  '```python',
  'def f(x):',
  '    return [i * 2 for i in range(x)]',
  '```',
  '',
  '```bash',
  'echo "$HOME" | grep -v x',
  '```',
  '',
  '$$',
  '\\int_0^1 x^2 \\, dx = \\frac{1}{3}',
  '$$',
  '',
].join('\n');

/** Page-wide once, like the lazy imports it starts (see load-markdown-extras.ts). */
let warming: Promise<void> | undefined;

/**
 * Loads the lazy renderers and renders a sample off-screen, once: the first real answer then
 * meets loaded modules and compiled code instead of paying for both in the middle of a
 * stream (a cold first render of a long answer costs several times a warm one). Called when
 * the user starts typing, so the first load stays small and the work is done before an
 * answer can arrive.
 */
export function warmUpMarkdown(): Promise<void> {
  warming ??= preloadMarkdownExtras()
    .then(() => {
      for (let i = 0; i < 3; i++) renderTokensToFragment(lexMarkdown(SAMPLE), 'final');
    })
    .catch(() => undefined);
  return warming;
}
