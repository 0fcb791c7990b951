import type { Token, Tokens } from 'marked';
import { copyCodeOnClick } from './markdown-clicks';
import { countFinalTokens, originalLength } from './count-final-tokens';
import { createFrameScheduler } from './frame-scheduler';
import { growOpenCode, lexMarkdown, renderOpenCode, renderTokensToFragment, type OpenCodeView } from './render-markdown';

export { copyCodeOnClick, loadImageOnClick } from './markdown-clicks';
export { markCitations, onCitationClick } from './cite-markers';

/**
 * Incremental markdown rendering for a growing answer, at a cost that does not grow with it.
 *
 * The text is split in two at `committed` (a prefix of the text, ending on a block
 * boundary). Blocks before it are final: each was rendered once, to nodes that stay in the
 * container untouched. Only the text after it is lexed each frame; its finished blocks are
 * committed, and what remains — the open last block — is rendered into one tail element.
 *
 * When is a block finished? Markdown lets later text change earlier blocks: a line under a
 * paragraph makes it a setext heading, a list continues after a blank line, a table gains
 * rows, a fence stays open until closed, `$$` math spans lines, "1." after a blank line
 * joins the list above. So a block is final only when
 *   - another non-space block follows it, whose first line is complete (its kind is known), and
 *   - a blank line separates them, or the block closes itself (heading, rule, fenced/indented
 *     code, display math) — nothing after a blank line can reach back past it.
 * A test streams documents one character at a time and checks the result equals rendering
 * the whole text at once.
 *
 * The container's children are the renderer's: `div.md-chunk`s holding the finished blocks'
 * nodes (see CHUNK_NODES), then `div.md-tail` (display: contents) while streaming. Inside
 * them, the HTML is exactly renderMarkdownToHtml's.
 */

export interface StreamRendererOptions {
  /**
   * Runs the render for a batch of updates. Default: the next animation frame at least
   * MIN_RENDER_INTERVAL_MS (frame-scheduler.ts) after the previous render.
   */
  schedule?: (cb: () => void) => void;
  /** Called after each render, and after a lazily loaded module re-rendered blocks (e.g. to keep the view scrolled). */
  onRender?: () => void;
  /**
   * Most ms one render spends committing finished blocks before it yields and goes on in the
   * next frame (default SLICE_MS); Infinity renders everything at once.
   */
  sliceMs?: number;
  /** The clock for sliceMs (default performance.now). */
  now?: () => number;
  /**
   * Runs on each sanitized fragment before it is inserted (finished blocks, upgrades, the tail),
   * e.g. to turn citation markers into buttons with DOM calls (cite-markers.ts).
   */
  decorate?: (fragment: DocumentFragment) => void;
}

/** Work counters, for tests and benchmarks: they count work, never time. */
export interface StreamRendererStats {
  /** Characters handed to the lexer, summed over all renders. */
  lexedChars: number;
  /** Renders that ran (coalesced updates count once). */
  renders: number;
  /** Final blocks rendered (once each, plus once more if a lazy module upgraded them). */
  blockRenders: number;
  /** Times the tail element was rendered. */
  tailRenders: number;
  /** Times the text was not an extension of the committed prefix and rendering restarted. */
  resets: number;
}

export interface StreamRenderer {
  /** The full current text. Renders at the next scheduled frame, however many updates come first. */
  update(text: string): void;
  /** Renders now, treating the whole text as final (end of stream). Undone if the text grows again. */
  flush(): void;
  /** Stops rendering; the container keeps what it shows. */
  dispose(): void;
  stats(): StreamRendererStats;
}

interface Block {
  /** Kept only while a lazily loaded module could still change the block's output. */
  tokens: Token[] | null;
  nodes: ChildNode[];
  alive: boolean;
}



/**
 * Finished blocks' nodes go into chunk elements of about this many nodes, not straight into
 * the container: when the tail changes, the browser lays out the container's children
 * again, and that would cost more with every block of a long answer. Chunks are plain
 * blocks without margins, borders or padding, so margins collapse through them as if they
 * were not there.
 */
const CHUNK_NODES = 64;

/**
 * A render that has more finished blocks than this many ms of work commits the rest in the
 * next frames, so a whole answer arriving at once (a fast server, a reconnect) never blocks
 * input as one long task (> 50 ms). The work per block is the same; only its frames differ.
 */
const SLICE_MS = 16;

/** Finished blocks rendered per call while slicing: small enough to check the clock often. */
const SLICE_GROUP = 3;

export function createStreamRenderer(container: HTMLElement, opts: StreamRendererOptions = {}): StreamRenderer {
  const schedule = opts.schedule ?? createFrameScheduler();
  // A sliced render goes on at the next frame, not after the streaming interval.
  const nextFrame = opts.schedule ?? ((cb: () => void) => void requestAnimationFrame(() => cb()));
  const sliceMs = opts.sliceMs ?? SLICE_MS;
  const now = opts.now ?? (() => performance.now());
  const doc = container.ownerDocument;
  const stats: StreamRendererStats = { lexedChars: 0, renders: 0, blockRenders: 0, tailRenders: 0, resets: 0 };

  /** Latest text from update(). */
  let text = '';
  /** The text the DOM shows; null when the next render must happen even for the same text. */
  let rendered: string | null = null;
  /** Prefix of the text whose blocks are final; its length is the committed offset. */
  let committed = '';
  let blocks: Block[] = [];
  let chunks: HTMLElement[] = [];
  let tail: HTMLElement | null = null;
  /** Source shown in the tail (normalized); null forces the next render to redo it. */
  let tailSrc: string | null = null;
  /** What flush() committed beyond the stream's own boundary, to undo if the text grows. */
  let flushed: { committed: string; blockCount: number } | null = null;
  /** The tail's open code block, while the tail is one. */
  let openCode: OpenCodeView | null = null;
  let frameRequested = false;
  let disposed = false;
  /** A render stopped at its time budget and its continuation is scheduled. */
  let sliced = false;
  /** flush() came while sliced: finish after the continuation. */
  let flushPending = false;

  container.replaceChildren();
  const stopCopy = copyCodeOnClick(container);

  function update(next: string): void {
    if (disposed) return;
    text = next;
    if (frameRequested) return;
    frameRequested = true;
    schedule(() => {
      frameRequested = false;
      if (!disposed && text !== rendered) render(false);
    });
  }

  function flush(): void {
    if (disposed || (flushed && text === rendered)) return;
    if (sliced) {
      flushPending = true;
      return;
    }
    render(true);
  }

  function continueSliced(): void {
    nextFrame(() => {
      sliced = false;
      if (disposed) return;
      render(false);
      if (!sliced && flushPending) {
        flushPending = false;
        render(true);
      }
    });
  }

  function dispose(): void {
    disposed = true;
    stopCopy();
    for (const block of blocks) block.alive = false;
  }

  function reset(): void {
    for (const block of blocks) block.alive = false;
    blocks = [];
    chunks = [];
    container.replaceChildren();
    tail = null;
    tailSrc = null;
    committed = '';
    flushed = null;
    stats.resets++;
  }

  function undoFlush(): void {
    if (!flushed) return;
    for (const block of blocks.splice(flushed.blockCount)) {
      block.alive = false;
      for (const node of block.nodes) node.remove();
    }
    dropEmptyChunks();
    committed = flushed.committed;
    flushed = null;
  }

  function render(final: boolean): void {
    stats.renders++;
    undoFlush();
    // Not an extension of what is committed (another message, an edit): start over. A slice
    // compared with === is a memcmp, microseconds even for a long answer.
    if (text.length < committed.length || text.slice(0, committed.length) !== committed) reset();
    const offset = committed.length;
    const original = text.slice(offset);
    const hasCR = original.includes('\r');
    const src = hasCR ? original.replace(/\r\n?/g, '\n') : original;
    const tokens = lexMarkdown(src);
    stats.lexedChars += src.length;

    if (final) {
      // End of stream: everything left is one more final block. Provisional: if the text
      // grows after all (a continued answer), undoFlush takes it back.
      flushed = { committed, blockCount: blocks.length };
      if (tokens.length > 0) commitBlock(tokens);
      committed = text;
      tail?.remove();
      tail = null;
      tailSrc = null;
    } else {
      let finalCount = countFinalTokens(tokens, src);
      let consumed = 0;
      for (let i = 0; i < finalCount; i++) {
        const token = tokens[i]!;
        // The offset advances by the tokens' raw text, so it must be the source verbatim.
        if (!src.startsWith(token.raw, consumed)) {
          finalCount = i;
          break;
        }
        consumed += token.raw.length;
      }
      // Finished blocks are rendered and sanitized a group per call (one pass for a whole
      // answer that arrived at once, not one per block), until the frame's budget is spent.
      const start = now();
      let done = 0;
      let doneChars = 0;
      while (done < finalCount) {
        const group = tokens.slice(done, Math.min(finalCount, done + SLICE_GROUP));
        const blocksInGroup = group.filter((t) => t.type !== 'space');
        if (blocksInGroup.length > 0) commitBlock(blocksInGroup);
        done += group.length;
        for (const t of group) doneChars += t.raw.length;
        if (done < finalCount && now() - start > sliceMs) break;
      }
      committed = text.slice(0, offset + (hasCR ? originalLength(original, doneChars) : doneChars));
      if (done < finalCount) {
        // Out of time: the rest appears over the next frames; meanwhile no stale tail.
        tail?.replaceChildren();
        tailSrc = null;
        openCode = null;
        rendered = null;
        if (!sliced) {
          sliced = true;
          continueSliced();
        }
        opts.onRender?.();
        return;
      }
      renderTail(tokens.slice(finalCount), src.slice(consumed));
    }
    rendered = text;
    opts.onRender?.();
  }

  function commitBlock(tokens: Token[]): void {
    const { fragment, upgrade } = renderTokensToFragment(tokens, 'final');
    opts.decorate?.(fragment);
    stats.blockRenders++;
    const block: Block = { tokens: upgrade ? tokens : null, nodes: Array.from(fragment.childNodes), alive: true };
    for (const node of block.nodes) {
      let chunk = chunks.at(-1);
      if (!chunk || chunk.childNodes.length >= CHUNK_NODES) {
        chunk = doc.createElement('div');
        chunk.className = 'md-chunk';
        container.insertBefore(chunk, tail);
        chunks.push(chunk);
      }
      chunk.append(node);
    }
    blocks.push(block);
    upgrade?.then(() => upgradeBlock(block), () => undefined);
  }

  function dropEmptyChunks(): void {
    chunks = chunks.filter((chunk) => {
      if (chunk.firstChild) return true;
      chunk.remove();
      return false;
    });
  }

  /** Renders a final block again once the highlighter or KaTeX it was waiting for is here. */
  function upgradeBlock(block: Block): void {
    const first = block.nodes[0];
    if (disposed || !block.alive || !block.tokens || !first?.parentNode) return;
    const { fragment } = renderTokensToFragment(block.tokens, 'final');
    opts.decorate?.(fragment);
    block.tokens = null;
    stats.blockRenders++;
    const nodes = Array.from(fragment.childNodes);
    first.parentNode.insertBefore(fragment, first);
    for (const node of block.nodes) node.remove();
    block.nodes = nodes;
    dropEmptyChunks();
    opts.onRender?.();
  }

  function renderTail(tokens: Token[], src: string): void {
    if (src === tailSrc) return;
    tailSrc = src;
    if (!tail) {
      tail = doc.createElement('div');
      tail.className = 'md-tail';
      container.append(tail);
    }
    stats.tailRenders++;
    // An open fenced code block (the common long tail) grows in place: no lexing into HTML,
    // no sanitizing, no rebuilt DOM per frame.
    const nonSpace = tokens.filter((t) => t.type !== 'space');
    const only = nonSpace.length === 1 ? nonSpace[0] : undefined;
    if (only?.type === 'code' && (only as Tokens.Code).codeBlockStyle !== 'indented') {
      const token = only as Tokens.Code;
      if (openCode && openCode.root.parentNode === tail && growOpenCode(openCode, token)) return;
      openCode = renderOpenCode(token, doc);
      tail.replaceChildren(openCode.root);
      return;
    }
    openCode = null;
    const { fragment, upgrade } = renderTokensToFragment(tokens, 'streaming');
    opts.decorate?.(fragment);
    tail.replaceChildren(fragment);
    if (upgrade) {
      upgrade.then(
        () => {
          if (disposed || tailSrc !== src) return;
          tailSrc = null;
          rendered = null;
          update(text);
        },
        () => undefined,
      );
    }
  }

  return { update, flush, dispose, stats: () => ({ ...stats }) };
}
