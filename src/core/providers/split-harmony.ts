import type { ChatEvent } from './types';

/** How the answer may open when a server passes gpt-oss harmony tokens through as content. */
const OPENERS = ['<|channel|>', '<|start|>'] as const;
/** A `<|` not closed by `|>` within this many characters is text, not a token. */
const MAX_TOKEN_LENGTH = 32;

type Mode = 'header' | 'channel' | 'body' | 'between';

/**
 * Splits raw gpt-oss "harmony" tokens in content (llama.cpp without a reasoning parser):
 * `<|channel|>analysis<|message|>…<|start|>assistant<|channel|>final<|message|>…`.
 * The analysis channel becomes `reasoning`, as does a commentary message addressed to a tool
 * (`to=functions.x`, a call we do not run); other channels (final, preamble commentary) become
 * `text`. Tokens may be split across deltas. Only an answer that opens with `<|channel|>` or
 * `<|start|>` is touched; any other text passes through unchanged, as do non-text events.
 */
export async function* splitHarmony(events: AsyncIterable<ChatEvent>): AsyncGenerator<ChatEvent> {
  let phase: 'detect' | 'on' | 'off' = 'detect';
  let detectHeld = '';
  let mode: Mode = 'between';
  /** Role/recipient text and channel name of the current message. */
  let header = '';
  let channel = '';
  let held = '';

  for await (const ev of events) {
    if (ev.type !== 'text' || phase === 'off') {
      if (ev.type === 'done' || ev.type === 'error') yield* flush();
      yield ev;
      continue;
    }
    if (phase === 'detect') {
      detectHeld += ev.text;
      const body = detectHeld.trimStart();
      if (OPENERS.some((tag) => body.startsWith(tag))) {
        phase = 'on';
        yield* consume(body);
      } else if (!OPENERS.some((tag) => tag.startsWith(body))) {
        phase = 'off';
        yield { type: 'text', text: detectHeld };
      }
      continue;
    }
    yield* consume(ev.text);
  }
  yield* flush();

  function* consume(text: string): Generator<ChatEvent> {
    let pending = held + text;
    held = '';
    for (;;) {
      const open = pending.indexOf('<|');
      if (open === -1) {
        // A lone trailing "<" may be the first half of "<|".
        const keep = pending.endsWith('<') ? 1 : 0;
        yield* emit(pending.slice(0, pending.length - keep));
        held = pending.slice(pending.length - keep);
        return;
      }
      yield* emit(pending.slice(0, open));
      const close = pending.indexOf('|>', open + 2);
      if (close === -1) {
        if (pending.length - open < MAX_TOKEN_LENGTH) {
          held = pending.slice(open);
          return;
        }
        yield* emit('<|');
        pending = pending.slice(open + 2);
        continue;
      }
      const token = pending.slice(open + 2, close);
      if (!applyToken(token)) yield* emit(`<|${token}|>`);
      pending = pending.slice(close + 2);
    }
  }

  /** Changes mode for a structural token; false for a token we do not know (kept as text). */
  function applyToken(token: string): boolean {
    switch (token) {
      case 'start':
        mode = 'header';
        header = '';
        channel = '';
        return true;
      case 'channel':
        mode = 'channel';
        channel = '';
        return true;
      case 'constrain':
        mode = 'header';
        return true;
      case 'message':
        mode = 'body';
        return true;
      case 'end':
      case 'return':
      case 'call':
        mode = 'between';
        header = '';
        channel = '';
        return true;
      default:
        return false;
    }
  }

  function* emit(text: string): Generator<ChatEvent> {
    if (!text) return;
    if (mode === 'header') {
      header += text;
      return;
    }
    if (mode === 'channel') {
      channel += text;
      return;
    }
    // Text outside any message is not expected; keep what is not whitespace rather than lose it.
    if (mode === 'between') {
      if (text.trim()) yield { type: 'text', text };
      return;
    }
    const reasoning = channel.trim().startsWith('analysis') || /\bto=/.test(`${header} ${channel}`);
    yield { type: reasoning ? 'reasoning' : 'text', text };
  }

  function* flush(): Generator<ChatEvent> {
    if (phase === 'detect' && detectHeld) yield { type: 'text', text: detectHeld };
    if (phase === 'on' && held) yield* emit(held);
    phase = 'off';
    held = '';
    detectHeld = '';
  }
}
