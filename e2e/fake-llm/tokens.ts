import { mulberry32 as rng } from '../../src/core/seeded-random';

/**
 * Turning text into token-sized deltas, and a deterministic lorem-markdown generator.
 *
 * `tokenize` is lossless (`tokenize(s).join('') === s`) and never splits a UTF-16 surrogate
 * pair (it works on code points), so every piece is valid text on its own.
 */

const CJK = '\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\p{Script=Hangul}';
const TOKEN_RE = new RegExp(
  [
    '(?:\\r?\\n)+', // newline runs ("\n", "\n\n", CRLF) are tokens of their own
    `[ ]?[${CJK}]{1,2}`, // CJK: one or two characters a token
    `[ ]?(?:(?![${CJK}])[\\p{L}\\p{M}])+`, // a word with its leading space (cut below if long)
    '[ ]?\\p{N}{1,3}', // numbers in groups of up to three digits, like BPE tokenizers
    '[ ]?[^\\s\\p{L}\\p{M}\\p{N}]{1,3}', // punctuation / symbols / emoji, up to three code points
    '[^\\S\\r\\n]+', // other whitespace runs (indentation)
    '[^]', // anything else, one code point
  ].join('|'),
  'gu',
);

const MAX_WORD = 7; // words up to this many characters (without the space) stay whole
const PIECE = 4; // longer words are cut into ~4-character pieces

function cutLongWord(tok: string, out: string[]): void {
  const space = tok.startsWith(' ') ? ' ' : '';
  const chars = Array.from(space ? tok.slice(1) : tok);
  if (chars.length <= MAX_WORD) {
    out.push(tok);
    return;
  }
  let first = true;
  for (let i = 0; i < chars.length; i += PIECE) {
    let end = i + PIECE;
    if (chars.length - end < 2) end = chars.length; // no 1-char tail
    out.push((first ? space : '') + chars.slice(i, end).join(''));
    first = false;
    if (end === chars.length) break;
  }
}

/** Split a text into token-like pieces (~4 chars on average). Deterministic and lossless. */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(TOKEN_RE)) {
    const tok = m[0];
    if (/^[ ]?\p{L}/u.test(tok) && !new RegExp(`^[ ]?[${CJK}]`, 'u').test(tok)) cutLongWord(tok, out);
    else out.push(tok);
  }
  return out;
}

/** Number of tokens `tokenize` would produce. */
export function countTokens(text: string): number {
  return tokenize(text).length;
}

// ---------------------------------------------------------------------------------------------
// loremMarkdown


const WORDS = (
  'the a of to and in is that for it as with on by this be are from or an which at can each ' +
  'model stream token request response latency buffer parser server client message context ' +
  'window vector index cache worker render block branch history prompt reply chunk event ' +
  'value state offline storage database sync revision network timeout retry backoff ' +
  'quickly simply usually carefully explicitly incremental deterministic efficient robust ' +
  'small large local remote partial complete structured concurrent'
).split(' ');

const TOPICS = [
  'Streaming responses',
  'Parsing server-sent events',
  'Handling partial lines',
  'Caching model lists',
  'Rendering markdown incrementally',
  'Retrying failed requests',
  'Storing messages locally',
  'Measuring throughput',
  'Cancelling a generation',
  'Choosing a context window',
];

const INLINE_MATH = ['$E = mc^2$', '$O(n \\log n)$', '$\\alpha + \\beta = \\gamma$', '$x_i \\le 2^{k}$', '$\\sum_{i=1}^{n} i$'];
const DISPLAY_MATH = [
  '$$\n\\int_0^1 x^2 \\, dx = \\frac{1}{3}\n$$',
  '$$\nT = \\frac{N_{\\text{tokens}}}{t_{\\text{end}} - t_{\\text{first}}}\n$$',
  '$$\n\\operatorname{softmax}(z)_i = \\frac{e^{z_i}}{\\sum_{j} e^{z_j}}\n$$',
];

const TS_LINES = [
  'export async function* readLines(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {',
  '  const reader = body.getReader();',
  '  const decoder = new TextDecoder();',
  "  let buffer = '';",
  '  for (;;) {',
  '    const { value, done } = await reader.read();',
  '    if (done) break;',
  '    buffer += decoder.decode(value, { stream: true });',
  "    let nl = buffer.indexOf('\\n');",
  '    while (nl >= 0) {',
  '      const line = buffer.slice(0, nl).replace(/\\r$/, "");',
  '      buffer = buffer.slice(nl + 1);',
  '      if (line.length > 0) yield line;',
  "      nl = buffer.indexOf('\\n');",
  '    }',
  '  }',
  '  if (buffer.length > 0) yield buffer;',
  '}',
  '',
  'interface Delta {',
  '  content?: string | null;',
  '  reasoning_content?: string | null;',
  '}',
  '',
  'export function accumulate(deltas: readonly Delta[]): { text: string; reasoning: string } {',
  "  let text = '';",
  "  let reasoning = '';",
  '  for (const d of deltas) {',
  '    if (typeof d.content === "string") text += d.content;',
  '    if (typeof d.reasoning_content === "string") reasoning += d.reasoning_content;',
  '  }',
  '  return { text, reasoning };',
  '}',
  '',
  'const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));',
  '',
  'export async function withRetry<T>(fn: () => Promise<T>, attempts = 3): Promise<T> {',
  '  let lastError: unknown;',
  '  for (let i = 0; i < attempts; i++) {',
  '    try {',
  '      return await fn();',
  '    } catch (err) {',
  '      lastError = err;',
  '      await sleep(250 * 2 ** i);',
  '    }',
  '  }',
  '  throw lastError;',
  '}',
];

const PY_LINES = [
  'import json',
  'import time',
  'from dataclasses import dataclass, field',
  '',
  '',
  '@dataclass',
  'class Usage:',
  '    prompt_tokens: int = 0',
  '    completion_tokens: int = 0',
  '    timings: list[float] = field(default_factory=list)',
  '',
  '    @property',
  '    def total(self) -> int:',
  '        return self.prompt_tokens + self.completion_tokens',
  '',
  '',
  'def parse_sse(lines):',
  '    """Yield the JSON payload of every data: event."""',
  '    data = []',
  '    for raw in lines:',
  '        line = raw.rstrip("\\r\\n")',
  '        if not line:',
  '            if data:',
  '                payload = "\\n".join(data)',
  '                data.clear()',
  '                if payload == "[DONE]":',
  '                    return',
  '                yield json.loads(payload)',
  '            continue',
  '        if line.startswith(":"):',
  '            continue',
  '        if line.startswith("data:"):',
  '            data.append(line[5:].lstrip(" "))',
  '',
  '',
  'def throughput(usage: Usage, started: float) -> float:',
  '    elapsed = max(time.monotonic() - started, 1e-9)',
  '    return usage.completion_tokens / elapsed',
  '',
  '',
  'if __name__ == "__main__":',
  '    u = Usage(prompt_tokens=12, completion_tokens=340)',
  '    print(f"{u.total} tokens, {throughput(u, time.monotonic() - 2.5):.1f} tok/s")',
];

const SQL_LINES = [
  'CREATE TABLE messages (',
  '  id         TEXT PRIMARY KEY,',
  '  chat_id    TEXT NOT NULL REFERENCES chats(id),',
  '  parent_id  TEXT,',
  "  role       TEXT NOT NULL CHECK (role IN ('system', 'user', 'assistant')),",
  '  content    TEXT NOT NULL DEFAULT \'\',',
  '  created_at INTEGER NOT NULL',
  ');',
  '',
  'CREATE INDEX messages_by_chat ON messages (chat_id, created_at);',
  '',
  'SELECT m.id, m.role, substr(m.content, 1, 80) AS preview',
  'FROM messages AS m',
  'WHERE m.chat_id = :chat',
  'ORDER BY m.created_at DESC',
  'LIMIT 50;',
];

const LANGS: ReadonlyArray<{ lang: string; lines: readonly string[] }> = [
  { lang: 'ts', lines: TS_LINES },
  { lang: 'python', lines: PY_LINES },
  { lang: 'sql', lines: SQL_LINES },
];

function pick<T>(r: () => number, xs: readonly T[]): T {
  const x = xs[Math.floor(r() * xs.length)];
  if (x === undefined) throw new Error('empty list');
  return x;
}

function sentence(r: () => number, withExtras: boolean): string {
  const n = 8 + Math.floor(r() * 10);
  const words: string[] = [];
  for (let i = 0; i < n; i++) words.push(pick(r, WORDS));
  const first = words[0] ?? 'the';
  words[0] = first.charAt(0).toUpperCase() + first.slice(1);
  if (withExtras) {
    const roll = r();
    const at = 2 + Math.floor(r() * (n - 3));
    if (roll < 0.25) words.splice(at, 0, `**${pick(r, WORDS)}**`);
    else if (roll < 0.45) words.splice(at, 0, `\`${pick(r, WORDS)}()\``);
    else if (roll < 0.6) words.splice(at, 0, pick(r, INLINE_MATH));
    else if (roll < 0.7) words.splice(at, 0, `_${pick(r, WORDS)}_`);
  }
  return words.join(' ') + (r() < 0.15 ? ':' : '.');
}

function paragraph(r: () => number, sentences: number): string {
  const out: string[] = [];
  for (let i = 0; i < sentences; i++) out.push(sentence(r, true));
  return out.join(' ');
}

function codeBlock(lines: number, idx: number): string {
  // Snippets long enough to fill the block without repeating, taken from their first line.
  const pool = LANGS.filter((l) => l.lines.length >= lines);
  const { lang, lines: src } = (pool.length > 0 ? pool : LANGS)[idx % Math.max(1, pool.length)] ?? LANGS[0]!;
  const body: string[] = [];
  for (let i = 0; i < lines; i++) body.push(src[i % src.length] ?? '');
  // Never end a block on a blank line: swap trailing blanks for the snippet's next lines.
  for (let next = lines; body[body.length - 1] === '' && next < lines + src.length; next++) {
    body.pop();
    body.push(src[next % src.length] ?? '');
  }
  return '```' + lang + '\n' + body.join('\n') + '\n```';
}

function table(r: () => number): string {
  const rows = 3 + Math.floor(r() * 3);
  const out = ['| Setting | Value | Notes |', '| --- | ---: | --- |'];
  for (let i = 0; i < rows; i++) {
    out.push(`| \`${pick(r, WORDS)}_${pick(r, WORDS)}\` | ${Math.floor(r() * 4096)} | ${pick(r, WORDS)} ${pick(r, WORDS)} ${pick(r, WORDS)} |`);
  }
  return out.join('\n');
}

function list(r: () => number, ordered: boolean): string {
  const n = 3 + Math.floor(r() * 3);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const marker = ordered ? `${i + 1}.` : '-';
    out.push(`${marker} ${sentence(r, true)}`);
    if (!ordered && r() < 0.3) out.push(`  - ${sentence(r, false)}`);
  }
  return out.join('\n');
}

/** The blocks of a long document, in order (unbounded; the caller stops taking them). */
function* blocks(r: () => number, codeLines: number): Generator<string> {
  yield `# ${pick(r, TOPICS)}`;
  yield paragraph(r, 2);
  for (let section = 0; ; section++) {
    yield `## ${section + 1}. ${pick(r, TOPICS)}`;
    yield paragraph(r, 3);
    yield section % 2 === 0 ? list(r, false) : list(r, true);
    yield codeBlock(codeLines, section);
    yield paragraph(r, 2);
    if (section % 3 === 0) yield table(r);
    if (section % 3 === 1) yield pick(r, DISPLAY_MATH);
    if (section % 3 === 2) yield `> ${sentence(r, true)}`;
    yield paragraph(r, 2);
  }
}

/**
 * A realistic markdown answer of about `tokens` tokens (as counted by `tokenize`): headings,
 * paragraphs with inline code/bold/inline math, lists, tables, fenced code blocks (40 lines
 * each for long answers: three of them in a 2,000-token answer), display math and quotes.
 * Deterministic: the same `tokens` always gives the same text.
 */
export function loremMarkdown(tokens: number): string {
  const target = Math.max(1, Math.floor(tokens));
  const r = rng(0x9e3779b9);
  const codeLines = Math.max(4, Math.min(40, Math.round(target / 50)));
  const parts: string[] = [];
  let count = 0;
  const sep = 1; // "\n\n" between blocks is one token
  for (const block of blocks(r, codeLines)) {
    const n = countTokens(block) + (parts.length > 0 ? sep : 0);
    if (count + n > target) break;
    parts.push(block);
    count += n;
  }
  // Fill the remainder with plain prose cut at the token level, ending in a full stop.
  const remaining = target - count - (parts.length > 0 ? sep : 0);
  if (remaining > 0) {
    const fill: string[] = [];
    let filled = 0;
    while (filled < remaining) {
      const toks = tokenize((fill.length > 0 ? ' ' : '') + sentence(r, false));
      for (const t of toks) {
        if (filled >= remaining - 1) break;
        fill.push(t);
        filled++;
      }
      if (filled >= remaining - 1) break;
    }
    fill.push('.');
    parts.push(fill.join('').trimStart());
  }
  return parts.join('\n\n') + '\n';
}
