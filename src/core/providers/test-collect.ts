import type { AppError } from '../errors';
import type { ChatEvent, Usage } from './types';

/** Test helper: what a consumer makes of a sequence of ChatEvents. */
export interface Collected {
  text: string;
  reasoning: string;
  refusal: string;
  /** The last usage seen, as consumers keep it. */
  usage: Usage | null;
  error: AppError | null;
  finishReason: string | null;
  /** Fragments accumulated by index, in index order. */
  toolCalls: { index: number; id?: string; name?: string; arguments: string }[];
  /** Types in order, to check that `done`/`error` is last and comes once. */
  types: ChatEvent['type'][];
}

export async function collect(events: AsyncIterable<ChatEvent>): Promise<Collected> {
  const out: Collected = { text: '', reasoning: '', refusal: '', usage: null, error: null, finishReason: null, toolCalls: [], types: [] };
  const calls = new Map<number, Collected['toolCalls'][number]>();
  for await (const ev of events) {
    out.types.push(ev.type);
    switch (ev.type) {
      case 'text':
        out.text += ev.text;
        break;
      case 'reasoning':
        out.reasoning += ev.text;
        break;
      case 'refusal':
        out.refusal += ev.text;
        break;
      case 'usage':
        out.usage = ev.usage;
        break;
      case 'error':
        out.error = ev.error;
        out.finishReason = ev.finishReason ?? null;
        break;
      case 'done':
        out.finishReason = ev.finishReason;
        break;
      case 'tool-call': {
        const call = calls.get(ev.index) ?? { index: ev.index, arguments: '' };
        if (ev.id) call.id = ev.id;
        if (ev.name) call.name = ev.name;
        call.arguments += ev.arguments;
        calls.set(ev.index, call);
        break;
      }
    }
  }
  out.toolCalls = [...calls.values()].sort((a, b) => a.index - b.index);
  return out;
}

/** Exactly one terminal event, and it is the last one. */
export function endsOnce(types: readonly ChatEvent['type'][]): boolean {
  const terminal = types.filter((t) => t === 'done' || t === 'error');
  return terminal.length === 1 && (types.at(-1) === 'done' || types.at(-1) === 'error');
}

/** Test helper: a list of events as the async stream a transform consumes. */
export async function* events(list: ChatEvent[]): AsyncGenerator<ChatEvent> {
  yield* list;
}

/** Test helper: `text` as deltas of `size` characters (by code point, like a server would send), then done. */
export function deltas(text: string, size: number): ChatEvent[] {
  const chars = [...text];
  const out: ChatEvent[] = [];
  for (let i = 0; i < chars.length; i += size) out.push({ type: 'text', text: chars.slice(i, i + size).join('') });
  out.push({ type: 'done', finishReason: 'stop' });
  return out;
}
