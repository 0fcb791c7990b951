/**
 * The text of an answer as it should be spoken: no markdown syntax, no URLs read letter by
 * letter, code replaced by the words "code block". Reasoning is never part of the input (the
 * caller passes the answer's content); a `<think>` section some models leave in the content is
 * dropped here too.
 *
 * Line-based and regex-based on purpose: speech needs a reasonable approximation, not a
 * second markdown parser, and this runs once per click.
 */

const CODE_FENCE = /^ {0,3}(`{3,}|~{3,})/;

/** Replaces fenced code blocks (closed or left open at the end) with a "code block" line. */
function dropCodeBlocks(lines: string[]): string[] {
  const out: string[] = [];
  let fence: string | null = null;
  for (const line of lines) {
    const m = CODE_FENCE.exec(line);
    if (fence === null) {
      if (m) {
        fence = m[1]!;
        out.push('Code block.');
      } else {
        out.push(line);
      }
    } else if (m && m[1]![0] === fence[0] && m[1]!.length >= fence.length && line.trim() === m[1]) {
      fence = null;
    }
  }
  return out;
}

// Backslash-escaped punctuation is literal: it is hidden in the Private Use Area while the
// syntax is stripped, then given back.
const PUA = 0xe000;
const hideEscapes = (s: string) => s.replace(/\\([!-/:-@[-`{-~])/g, (_m, c: string) => String.fromCharCode(PUA + c.charCodeAt(0)));
const showEscapes = (s: string) => s.replace(/[\ue021-\ue07e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - PUA));

function inline(text: string): string {
  return (
    text
      // images: alt text and URL are both left out
      .replace(/!\[[^\]]*\]\([^)]*\)/g, '')
      .replace(/!\[[^\]]*\]\[[^\]]*\]/g, '')
      // links: their text
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/\[([^\]]+)\]\[[^\]]*\]/g, '$1')
      // autolinks <https://…> and raw HTML tags
      .replace(/<(?:https?|mailto):[^>\s]*>/gi, '')
      .replace(/<\/?[a-z][^>]*>/gi, '')
      // inline code: its text, without the backticks
      .replace(/(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)/g, (_m, _ticks: string, code: string) => code.trim())
      // emphasis and strike-through; `_` only at word edges so snake_case survives
      .replace(/(\*{1,3})(?=\S)([^*]*?\S)\1/g, '$2')
      .replace(/(^|[^\w_])(_{1,3})(?=\S)(.*?\S)\2(?![\w_])/g, '$1$3')
      .replace(/~~(?=\S)(.*?\S)~~/g, '$1')
  );
}

function block(line: string): string {
  // horizontal rules and table separator rows say nothing
  if (/^ {0,3}([-*_])( *\1){2,} *$/.test(line)) return '';
  if (/^ *\|? *:?-+:? *(\| *:?-+:? *)*\|? *$/.test(line) && line.includes('-')) return '';
  // link reference definitions
  if (/^ {0,3}\[[^\]]+\]: *\S+/.test(line)) return '';
  return (
    line
      // headings, quotes, list markers, task boxes
      .replace(/^ {0,3}#{1,6}\s+/, '')
      .replace(/\s+#+\s*$/, '')
      .replace(/^(\s*>)+\s?/, '')
      .replace(/^\s*(?:[-*+]|\d{1,9}[.)])\s+/, '')
      .replace(/^\[[ xX]\]\s+/, '')
      // table rows: cells separated by commas
      .replace(/^\s*\|(.*)\|\s*$/, (_m, cells: string) => cells.split('|').map((c) => c.trim()).filter(Boolean).join(', '))
  );
}

export function speakableText(markdown: string): string {
  const text = markdown
    .replace(/\r\n?/g, '\n')
    .replace(/<think>[\s\S]*?(?:<\/think>|$)/gi, '')
    .replace(/<!--[\s\S]*?(?:-->|$)/g, '')
    // display math: say that there is one instead of reading TeX
    .replace(/\$\$[\s\S]*?\$\$/g, 'Formula.');
  const lines = dropCodeBlocks(text.split('\n')).map((l) => showEscapes(inline(block(hideEscapes(l)))).replace(/[ \t]+/g, ' ').trim());
  // Blank lines collapse; a line break is kept so the voice pauses between blocks.
  return lines.filter((l) => l !== '').join('\n');
}
