import { numberField, recordField, type JsonRecord } from '../providers/json-fields';
import type { Usage } from '../providers/types';
import type { MessageMetrics } from '../storage/schema';

/** What the line under an answer says, whatever the server's shape. Times in ms. */
export interface UsageSummary {
  promptTokens?: number;
  completionTokens?: number;
  tokensPerSecond?: number;
  /** Time to first token. */
  ttftMs?: number;
  /** The whole run, request to end. */
  durationMs?: number;
  /** From the first reasoning to the first text after it (measured; no server reports it). */
  reasoningMs?: number;
  /** Where the completion count and the speed came from: the server's figures, or ours. */
  source: 'server' | 'measured';
  /** The completion count (and a speed from it) is characters / CHARS_PER_TOKEN, not a count. */
  estimate: boolean;
}

/** Rough characters per token for English text; only used when the server gave no count. */
export const CHARS_PER_TOKEN = 4;

const NS_PER_MS = 1_000_000;

/**
 * Server usage (OpenAI `usage`, Ollama's `done` counters, llama.cpp `timings`) plus what the
 * engine measured → one summary. The server's numbers win field by field; measured ones fill
 * the gaps. `outputChars` (text + reasoning length) backs an estimate when no count exists.
 */
export function normalizeUsage(usage: Usage | null, metrics: MessageMetrics | null, outputChars = 0): UsageSummary {
  const u: JsonRecord = usage ?? {};
  const t = recordField(u, 'timings') ?? {};
  const m: MessageMetrics = metrics ?? {};

  const promptTokens = numberField(u, 'prompt_tokens') ?? numberField(u, 'prompt_eval_count') ?? numberField(t, 'prompt_n');
  const counted = numberField(u, 'completion_tokens') ?? numberField(u, 'eval_count') ?? numberField(t, 'predicted_n');

  // The server's own generation speed: llama.cpp states it; Ollama gives count and ns.
  const evalCount = numberField(u, 'eval_count');
  const evalNs = positive(numberField(u, 'eval_duration'));
  const serverRate =
    positive(numberField(t, 'predicted_per_second')) ??
    (evalCount !== undefined && evalNs !== undefined ? (evalCount * 1e9) / evalNs : undefined);

  // Time to first token: the server's prompt processing (plus Ollama's model load) when given.
  const ollamaPromptNs = numberField(u, 'prompt_eval_duration');
  const serverTtft =
    numberField(t, 'prompt_ms') ??
    (ollamaPromptNs !== undefined ? (ollamaPromptNs + (numberField(u, 'load_duration') ?? 0)) / NS_PER_MS : undefined);
  const llamaMs = sumDefined(numberField(t, 'prompt_ms'), numberField(t, 'predicted_ms'));
  const totalNs = numberField(u, 'total_duration');
  const serverDuration = totalNs !== undefined ? totalNs / NS_PER_MS : llamaMs;

  const measuredTtft = span(m.startedAt, m.firstTokenAt);
  const measuredDuration = span(m.startedAt, m.endedAt);
  // Generation time: first token to end (the wait before it is TTFT, not generation). When the
  // whole answer came in one read that span is 0, and the whole run is the only time there is.
  const generationMs = positive(span(m.firstTokenAt, m.endedAt)) ?? positive(measuredDuration);

  const estimated = counted === undefined && outputChars > 0 ? Math.max(1, Math.round(outputChars / CHARS_PER_TOKEN)) : undefined;
  const completionTokens = counted ?? estimated;
  const measuredRate = completionTokens !== undefined && generationMs !== undefined ? (completionTokens * 1000) / generationMs : undefined;

  const out: UsageSummary = { source: counted !== undefined || serverRate !== undefined ? 'server' : 'measured', estimate: estimated !== undefined };
  if (promptTokens !== undefined) out.promptTokens = promptTokens;
  if (completionTokens !== undefined) out.completionTokens = completionTokens;
  const rate = serverRate ?? measuredRate;
  if (rate !== undefined) out.tokensPerSecond = rate;
  const ttft = serverTtft ?? measuredTtft;
  if (ttft !== undefined) out.ttftMs = ttft;
  const duration = serverDuration ?? measuredDuration;
  if (duration !== undefined) out.durationMs = duration;
  const reasoning = reasoningMs(metrics);
  if (reasoning !== undefined) out.reasoningMs = reasoning;
  return out;
}

/** How long the model thought: first reasoning to the end of reasoning, if both were seen. */
export function reasoningMs(metrics: MessageMetrics | null | undefined): number | undefined {
  return metrics ? span(metrics.reasoningStartedAt, metrics.reasoningEndedAt) : undefined;
}

function span(from: number | undefined, to: number | undefined): number | undefined {
  return from !== undefined && to !== undefined && to >= from ? to - from : undefined;
}

function positive(x: number | undefined): number | undefined {
  return x !== undefined && x > 0 ? x : undefined;
}

function sumDefined(a: number | undefined, b: number | undefined): number | undefined {
  return a !== undefined && b !== undefined ? a + b : undefined;
}
