import { batch, createSignal, type Accessor, type Setter } from 'solid-js';
import type { StreamUpdate } from '../../../workers/api';
import type { WebGpuLoadProgress } from '../../../workers/webgpu/api';
import type { EngineClient } from '../engine-client';
import { toAppError, type AppError } from '../../core/errors';

/** The live text of a message this tab is streaming, ahead of what IndexedDB holds. */
export interface LiveMessage {
  content: Accessor<string>;
  reasoning: Accessor<string>;
  refusal: Accessor<string>;
  running: Accessor<boolean>;
  /** An in-browser model being loaded before it answers (null once text arrives or it ends). */
  loading: Accessor<WebGpuLoadProgress | null>;
}

interface Entry extends LiveMessage {
  setContent: Setter<string>;
  setReasoning: Setter<string>;
  setRefusal: Setter<string>;
  setRunning: Setter<boolean>;
  setLoading: Setter<WebGpuLoadProgress | null>;
}

function entry(): Entry {
  const [content, setContent] = createSignal('');
  const [reasoning, setReasoning] = createSignal('');
  const [refusal, setRefusal] = createSignal('');
  const [running, setRunning] = createSignal(true);
  const [loading, setLoading] = createSignal<WebGpuLoadProgress | null>(null);
  return { content, setContent, reasoning, setReasoning, refusal, setRefusal, running, setRunning, loading, setLoading };
}

/**
 * How many generations this tab is running right now, across every stream store (the app's
 * and one per temporary chat), so it is kept per module rather than per store. The update
 * prompt reads it: a new version is never switched to while an answer is streaming.
 */
const [generating, setGenerating] = createSignal(0);
export { generating };

/**
 * Runs generations through the engine and keeps their live text. Deltas go straight into
 * per-message signals, so only that message's renderer wakes up per token.
 */
export function createStreams(engine: EngineClient, onError: (e: AppError) => void) {
  const [entries, setEntries] = createSignal<ReadonlyMap<string, Entry>>(new Map());

  const apply = (u: StreamUpdate) => {
    const e = entries().get(u.messageId);
    if (!e) return;
    if (u.type === 'loading') {
      // Progress travels on its own port: a late report must not bring the bar back over text.
      const started = e.content() !== '' || e.reasoning() !== '' || e.refusal() !== '';
      e.setLoading(u.progress.phase === 'done' || started ? null : u.progress);
    } else if (u.type === 'delta') {
      batch(() => {
        e.setLoading(null);
        if (u.text) e.setContent((c) => c + u.text);
        if (u.reasoning) e.setReasoning((c) => c + u.reasoning);
        if (u.refusal) e.setRefusal((c) => c + u.refusal);
      });
    } else {
      e.setLoading(null);
      e.setRunning(false);
      // The final save was refused (a full disk): the row cannot hold this error, so it is said here.
      if (u.status === 'error' && u.error?.kind === 'storage') onError(u.error);
    }
  };

  /** `seed`: the text the message already has (a continued answer), so the live view starts from it. */
  const run = async (chatId: string, messageId: string, seed?: { content: string; reasoning: string }) => {
    const e = entry();
    if (seed) {
      e.setContent(seed.content);
      e.setReasoning(seed.reasoning);
    }
    setEntries((m) => new Map(m).set(messageId, e));
    setGenerating((n) => n + 1);
    try {
      await engine.generate({ chatId, messageId, ...(seed ? { continue: true } : {}) }, apply);
    } catch (err) {
      onError(toAppError(err));
    } finally {
      e.setLoading(null);
      e.setRunning(false);
      setGenerating((n) => n - 1);
    }
  };

  return [
    {
      get: (messageId: string): LiveMessage | undefined => entries().get(messageId),
      isRunning: (messageId: string) => entries().get(messageId)?.running() ?? false,
    },
    {
      run,
      stop: (messageId: string) => engine.stop(messageId),
      /** Forgets finished runs once IndexedDB holds their final text. */
      forget: (messageId: string) => {
        const e = entries().get(messageId);
        if (e && !e.running()) setEntries((m) => {
          const n = new Map(m);
          n.delete(messageId);
          return n;
        });
      },
    },
  ] as const;
}
export type Streams = ReturnType<typeof createStreams>;
