import type { ChatEvent } from './types';

/**
 * Reasoning blocks models write inline, as [opening, closing] tags: DeepSeek-R1/Qwen `<think>`,
 * Claude-style `<thinking>`, `<reason>`/`<reasoning>`, Gemma-style `<thought>`, OpenThinker's
 * `<|begin_of_thought|>`, Kimi's `◁think▷`. Longest first, so `<thinking>` is not read as
 * `<think>` + "ing>" (nor `<reasoning>` as `<reason>`).
 */
const TAGS: ReadonlyArray<readonly [string, string]> = [
  ['<|begin_of_thought|>', '<|end_of_thought|>'],
  ['<reasoning>', '</reasoning>'],
  ['<thinking>', '</thinking>'],
  ['◁think▷', '◁/think▷'],
  ['<thought>', '</thought>'],
  ['<reason>', '</reason>'],
  ['<think>', '</think>'],
];
const OPENERS = TAGS.map(([open]) => open);

/**
 * Moves an inline `<think>…</think>` block (or any pair in TAGS) at the start of the
 * answer into `reasoning` events (DeepSeek-R1 and Qwen via servers without a reasoning parser).
 * Tags may be split across deltas at any point. Only a block at the start counts (leading
 * whitespace allowed): a `<think>` later in an answer is the model talking about the tag.
 * Text that does not start with a tag passes through unchanged; other events pass through.
 * An unclosed block (the answer was cut off) stays reasoning.
 */
export async function* splitThinkTags(events: AsyncIterable<ChatEvent>): AsyncGenerator<ChatEvent> {
  type State = { at: 'start'; held: string } | { at: 'inside'; closer: string; held: string } | { at: 'after' };
  let state: State = { at: 'start', held: '' };

  for await (const ev of events) {
    if (ev.type !== 'text' || state.at === 'after') {
      if (ev.type === 'done' || ev.type === 'error') yield* flush();
      yield ev;
      continue;
    }
    if (state.at === 'start') {
      const held: string = state.held + ev.text;
      const body: string = held.trimStart();
      const pair = TAGS.find(([open]) => body.startsWith(open));
      if (pair) {
        state = { at: 'inside', closer: pair[1], held: '' };
        yield* inside(body.slice(pair[0].length));
      } else if (OPENERS.some((tag) => tag.startsWith(body))) {
        // Still a possible tag (or only whitespace so far): wait for more.
        state = { at: 'start', held };
      } else {
        state = { at: 'after' };
        yield { type: 'text', text: held };
      }
      continue;
    }
    yield* inside(ev.text);
  }
  yield* flush();

  function* inside(text: string): Generator<ChatEvent> {
    if (state.at !== 'inside') return;
    const { closer } = state;
    const pending = state.held + text;
    const end = pending.indexOf(closer);
    if (end !== -1) {
      state = { at: 'after' };
      if (end > 0) yield { type: 'reasoning', text: pending.slice(0, end) };
      const rest = pending.slice(end + closer.length);
      if (rest) yield { type: 'text', text: rest };
      return;
    }
    // Hold back a tail that could be the start of the closing tag.
    const keep = partialSuffix(pending, closer);
    state = { at: 'inside', closer, held: pending.slice(pending.length - keep) };
    const out = pending.slice(0, pending.length - keep);
    if (out) yield { type: 'reasoning', text: out };
  }

  function* flush(): Generator<ChatEvent> {
    if (state.at === 'start' && state.held) yield { type: 'text', text: state.held };
    if (state.at === 'inside' && state.held) yield { type: 'reasoning', text: state.held };
    state = { at: 'after' };
  }
}

/** Length of the longest end of `text` that is a proper prefix of `tag`. */
export function partialSuffix(text: string, tag: string): number {
  for (let n = Math.min(tag.length - 1, text.length); n > 0; n--) {
    if (text.endsWith(tag.slice(0, n))) return n;
  }
  return 0;
}
