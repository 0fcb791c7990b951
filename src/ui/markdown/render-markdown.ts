import DOMPurify, { type Config } from 'dompurify';
import { Marked, type RendererObject, type Token, type Tokens, type TokenizerAndRendererExtension } from 'marked';
import { loadedExtras, loadHighlighter, loadMath } from './load-markdown-extras';
import { findInlineMathStart, tokenizeBlockMath, tokenizeInlineMath, type MathBlockToken, type MathToken } from './tokenize-math';
import './markdown.css';

export { preloadMarkdownExtras } from './load-markdown-extras';

/**
 * Markdown → sanitized HTML for model output.
 *
 * Model output is untrusted: raw HTML in it is shown as text, links open in a new tab without
 * referrer or opener and only for http/https/mailto, images are not fetched until clicked,
 * and everything passes through DOMPurify last. Code highlighting and math load lazily (see
 * load-markdown-extras.ts); until then code is plain text and math its TeX source.
 */

/**
 * 'final': a block as it will stay. 'streaming': the open last block of a stream, rendered
 * again every frame — code is left unhighlighted there to keep frames cheap.
 */
export type RenderMode = 'final' | 'streaming';

export interface RenderedHtml {
  html: string;
  /**
   * Set when the output would change once a lazily loaded module (highlight.js, KaTeX) this
   * text needs arrives: render again when it resolves. Null when the output is complete.
   */
  upgrade: Promise<void> | null;
}

export interface RenderedFragment {
  fragment: DocumentFragment;
  upgrade: Promise<void> | null;
}

/** Fence languages the lazy highlight.js chunk registers, with their aliases (kept in step by a test). */
export const HIGHLIGHT_LANGUAGES: ReadonlySet<string> = new Set([
  'javascript', 'js', 'jsx', 'mjs', 'cjs',
  'typescript', 'ts', 'tsx', 'mts', 'cts',
  'python', 'py',
  'bash', 'sh', 'zsh',
  'shell', 'console', 'shellsession',
  'json',
  'xml', 'html', 'xhtml', 'svg',
  'css',
  'c', 'h',
  'cpp', 'cc', 'c++', 'hpp', 'cxx',
  'java',
  'go', 'golang',
  'rust', 'rs',
  'sql',
  'yaml', 'yml',
  'markdown', 'md',
  'diff', 'patch',
]);

const LINK_SCHEMES = /^(?:https?:|mailto:)/i;
const IMAGE_SCHEMES = /^https?:/i;

const PURIFY_CONFIG: Config = {
  // Links get target="_blank" from our renderer; DOMPurify drops `target` unless told.
  ADD_ATTR: ['target'],
  // KaTeX's MathML (for screen readers) wraps each formula in <semantics> with its TeX source
  // in <annotation>; DOMPurify's MathML profile leaves both out by default.
  ADD_TAGS: ['semantics', 'annotation'],
  // DOMPurify checks every attribute value that could be a URL against this: schemes other
  // than http(s)/mailto are refused; values with no scheme ("button", "_blank") pass, as
  // with its default. (Our renderer emits hrefs only for these schemes anyway.)
  ALLOWED_URI_REGEXP: /^(?:(?:https?|mailto):|[^a-z]|[a-z+.-]+(?:[^a-z+.\-:]|$))/i,
  // Nothing we emit uses these; refusing them is a second line behind escaping raw HTML
  // (<img> in particular would fetch without the reader asking).
  FORBID_TAGS: ['style', 'form', 'img'],
};

/**
 * Our own DOMPurify instances, configured once with setConfig: handing the config to each
 * sanitize() call re-parses it (cloning every allow-list), which costs more than sanitizing
 * a streaming block. One returns strings, one DOM fragments (no second parse to insert).
 */
const purifyToString = DOMPurify(window);
purifyToString.setConfig(PURIFY_CONFIG);
const purifyToFragment = DOMPurify(window);
purifyToFragment.setConfig({ ...PURIFY_CONFIG, RETURN_DOM_FRAGMENT: true });

function sanitizeToString(html: string): string {
  return purifyToString.sanitize(html);
}

function sanitizeToFragment(html: string): DocumentFragment {
  // setConfig made this instance return fragments; its types cannot know that.
  const out: unknown = purifyToFragment.sanitize(html);
  if (!(out instanceof DocumentFragment)) throw new Error('DOMPurify did not return a DocumentFragment');
  return out;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** `href` if its scheme is allowed, percent-encoded as marked does; otherwise null. */
function safeUrl(href: string, allowed: RegExp): string | null {
  const url = href.trim();
  if (!allowed.test(url)) return null;
  try {
    return encodeURI(url).replace(/%25/g, '%');
  } catch {
    return null;
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '';
  }
}

const mathExtensions: TokenizerAndRendererExtension[] = [
  {
    name: 'mathBlock',
    level: 'block',
    // No `start`: a `$$` line does not interrupt a paragraph (that would split paragraphs at
    // text still to come); inside a paragraph, `$$…$$` is display math via the inline rule.
    tokenizer: (src) => tokenizeBlockMath(src),
    renderer: (token) => renderMathBlock(token as MathBlockToken),
  },
  {
    name: 'math',
    level: 'inline',
    start: (src) => findInlineMathStart(src),
    tokenizer: (src) => tokenizeInlineMath(src),
    renderer: (token) => renderInlineMath(token as MathToken),
  },
];

function renderInlineMath(token: MathToken): string {
  const math = loadedExtras().math;
  if (!math) return `<span class="md-math-source">${escapeHtml(token.raw)}</span>`;
  return math(token.text, token.displayMode);
}

function renderMathBlock(token: MathBlockToken): string {
  const math = loadedExtras().math;
  if (!math || !token.closed) {
    return `<div class="md-math-display md-math-source">${escapeHtml(token.raw.replace(/\n+$/, ''))}</div>\n`;
  }
  return `<div class="md-math-display">${math(token.text, true)}</div>\n`;
}

function fenceLanguage(token: Tokens.Code): string {
  return (token.lang ?? '').match(/^\S*/)?.[0]?.toLowerCase() ?? '';
}

/** A code block built with DOM calls, for the stream's open tail; its text can grow in place. */
export interface OpenCodeView {
  root: HTMLElement;
  lang: string;
  /** The code shown so far (without the fence). */
  code: string;
  textNode: Text;
}

/**
 * The open code block at the end of a stream, built without HTML parsing: the code goes into
 * a text node (textContent semantics, so nothing in it can become markup, and no sanitizing
 * pass is needed), and later frames append to that node instead of rebuilding the block.
 * Same structure and classes as the `code` renderer's streaming output.
 */
export function renderOpenCode(token: Tokens.Code, doc: Document): OpenCodeView {
  const lang = fenceLanguage(token);
  const code = token.text.replace(/\n$/, '');
  const root = doc.createElement('div');
  root.className = 'md-code';
  const head = doc.createElement('div');
  head.className = 'md-code-head';
  if (lang) {
    const label = doc.createElement('span');
    label.className = 'md-code-lang';
    label.textContent = lang;
    head.append(label);
  }
  const button = doc.createElement('button');
  button.type = 'button';
  button.className = 'md-copy';
  button.setAttribute('aria-label', 'Copy code');
  button.textContent = 'Copy';
  head.append(button);
  const pre = doc.createElement('pre');
  const el = doc.createElement('code');
  el.className = lang ? `hljs language-${lang}` : 'hljs';
  const textNode = doc.createTextNode(code);
  el.append(textNode);
  pre.append(el);
  root.append(head, pre);
  return { root, lang, code, textNode };
}

/** Grows `view` to show `token` if it only added code at the end; false if it must be rebuilt. */
export function growOpenCode(view: OpenCodeView, token: Tokens.Code): boolean {
  const code = token.text.replace(/\n$/, '');
  if (fenceLanguage(token) !== view.lang || !code.startsWith(view.code)) return false;
  if (code.length > view.code.length) view.textNode.appendData(code.slice(view.code.length));
  view.code = code;
  return true;
}

function createRenderer(mode: RenderMode): RendererObject {
  return {
    code(token) {
      const lang = fenceLanguage(token);
      const text = token.text.replace(/\n$/, '');
      const highlight = mode === 'final' && HIGHLIGHT_LANGUAGES.has(lang) ? loadedExtras().highlight : undefined;
      const body = highlight?.(text, lang) ?? escapeHtml(text);
      const cls = lang ? `hljs language-${escapeHtml(lang)}` : 'hljs';
      const label = lang ? `<span class="md-code-lang">${escapeHtml(lang)}</span>` : '';
      // The copy button reads the code's textContent when clicked (copyCodeOnClick), so the
      // source is not duplicated into an attribute.
      return (
        `<div class="md-code"><div class="md-code-head">${label}` +
        `<button type="button" class="md-copy" aria-label="Copy code">Copy</button></div>` +
        `<pre><code class="${cls}">${body}</code></pre></div>\n`
      );
    },
    // Raw HTML from the model is shown, not interpreted.
    html(token) {
      if (token.block) return `<p class="md-raw-html">${escapeHtml(token.text.replace(/\n+$/, ''))}</p>\n`;
      return escapeHtml(token.text);
    },
    text(token) {
      // Text inside an inline <pre>/<code>/<script> tag comes marked `escaped` but is raw; as
      // the tags themselves are shown as text, so is it. Everything else: marked's default.
      if ('escaped' in token && token.escaped && !('tokens' in token && token.tokens)) return escapeHtml(token.text);
      return false;
    },
    link(token) {
      const inner = token.autolink ? escapeHtml(token.text) : this.parser.parseInline(token.tokens);
      const href = safeUrl(token.href, LINK_SCHEMES);
      if (href === null) return inner;
      const title = token.title ? ` title="${escapeHtml(token.title)}"` : '';
      return `<a href="${escapeHtml(href)}"${title} target="_blank" rel="noopener noreferrer">${inner}</a>`;
    },
    // Remote images would leak the reader's IP and timing to whoever the model names: show a
    // placeholder; loadImageOnClick swaps in the <img> when the reader asks for it.
    image(token) {
      const alt = token.text;
      const src = safeUrl(token.href, IMAGE_SCHEMES);
      if (src === null) return escapeHtml(alt);
      const label = `Load image${alt ? `: ${alt}` : ''} (${hostOf(src)})`;
      const title = token.title ? ` title="${escapeHtml(token.title)}"` : '';
      return (
        `<button type="button" class="md-image" data-src="${escapeHtml(src)}" data-alt="${escapeHtml(alt)}"${title}>` +
        `${escapeHtml(label)}</button>`
      );
    },
  };
}

function createMarked(mode: RenderMode): Marked {
  return new Marked({
    gfm: true,
    breaks: false,
    extensions: mathExtensions,
    // Reference-style link definitions are not supported: a definition could come after the
    // paragraph that uses it, which a stream has already rendered. They stay visible as text.
    tokenizer: { def: () => undefined },
    renderer: createRenderer(mode),
  });
}

// Configured once, never changed after: the two differ only in how they render code.
const markedFinal = createMarked('final');
const markedStreaming = createMarked('streaming');

/** Block tokens of `src` (marked's lexer with our extensions; CR/CRLF become LF). */
export function lexMarkdown(src: string): Token[] {
  return markedFinal.lexer(src);
}

/** What in `tokens` would render differently once a lazy module is loaded; starts the loads. */
function pendingUpgrade(tokens: Token[], mode: RenderMode): Promise<void> | null {
  let code = false;
  let math = false;
  markedFinal.walkTokens(tokens, (token) => {
    if (token.type === 'code') code ||= HIGHLIGHT_LANGUAGES.has(fenceLanguage(token as Tokens.Code));
    else if (token.type === 'math' || (token.type === 'mathBlock' && (token as MathBlockToken).closed)) math = true;
  });
  const extras = loadedExtras();
  const waits: Promise<void>[] = [];
  // Code seen in a stream's open block starts the load early, so that highlighting is ready
  // when the block is finished; only final output changes when it arrives.
  if (code && !extras.highlight) {
    const load = loadHighlighter();
    if (mode === 'final') waits.push(load);
  }
  if (math && !extras.math) waits.push(loadMath());
  if (waits.length === 0) return null;
  return Promise.all(waits).then(() => undefined);
}

/** Sanitized HTML for block tokens from lexMarkdown (one or several, in order). */
export function renderTokens(tokens: Token[], mode: RenderMode): RenderedHtml {
  const upgrade = pendingUpgrade(tokens, mode);
  const marked = mode === 'final' ? markedFinal : markedStreaming;
  return { html: sanitizeToString(marked.parser(tokens)), upgrade };
}

/** Like renderTokens, as DOM nodes ready to insert (no second HTML parse). */
export function renderTokensToFragment(tokens: Token[], mode: RenderMode): RenderedFragment {
  const upgrade = pendingUpgrade(tokens, mode);
  const marked = mode === 'final' ? markedFinal : markedStreaming;
  return { fragment: sanitizeToFragment(marked.parser(tokens)), upgrade };
}

/** A whole text at once, with the upgrade to wait for if code or math modules are missing. */
export function renderMarkdown(text: string): RenderedHtml {
  return renderTokens(lexMarkdown(text), 'final');
}

/** A whole text at once (finished messages). Render again after `preloadMarkdownExtras()` for highlighting and math. */
export function renderMarkdownToHtml(text: string): string {
  return renderMarkdown(text).html;
}
