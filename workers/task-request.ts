import { appError, type AppError } from '../src/core/errors';
import { streamChat } from '../src/core/providers/stream-chat';
import { isOpenAIHost, isReasoningModel } from '../src/core/providers/map-reasoning-model';
import type { ChatParams } from '../src/core/providers/types';
import type { Endpoint, FetchPort } from '../src/core/providers/types';
import type { ParleyDb } from '../src/core/storage/db';
import type { Connection, Message } from '../src/core/storage/schema';
import { endpointOf } from './endpoint-of';
import { serverModelId } from './run-generation';

/** Where a task is sent: the connection's endpoint and the model id its server knows. */
export interface TaskTarget {
  endpoint: Endpoint;
  model: string;
  /** The model as Parley shows it, for logs. */
  label: string;
}

function usable(c: Connection | undefined): c is Connection {
  return !!c && c.enabled && c.kind !== 'webgpu';
}

/**
 * The task model from Settings when its connection still exists and is enabled; otherwise the
 * model that wrote the answer (so a removed task connection never silences the tasks); null
 * when neither can be reached over HTTP (a WebGPU model, a removed connection).
 */
export async function pickTaskTarget(db: ParleyDb, chosen: { id: string; connectionId: string } | null, answer: Message, appOrigin: string): Promise<TaskTarget | null> {
  const candidates = [chosen, { id: answer.model, connectionId: answer.connectionId }];
  for (const c of candidates) {
    if (!c || !c.id || !c.connectionId) continue;
    const conn = await db.connections.get(c.connectionId);
    if (usable(conn)) return { endpoint: endpointOf(conn, appOrigin), model: serverModelId(c.id, conn.prefixId), label: c.id };
  }
  return null;
}

/** Low: a task wants the likeliest short answer, not a creative one. */
export const TASK_TEMPERATURE = 0.2;

/**
 * OpenAI's reasoning models refuse a temperature other than 1 and spend their token limit on
 * hidden reasoning first (a 256-token cap would leave the answer empty), so they get neither.
 */
export function taskParams(target: TaskTarget, maxTokens: number): ChatParams {
  if (isReasoningModel(target.model) && isOpenAIHost(target.endpoint.url)) return {};
  return { max_tokens: maxTokens, temperature: TASK_TEMPERATURE };
}

/**
 * Sends one task prompt and returns the whole answer text. It goes through the same provider
 * code as a chat (auth, custom headers, Azure, Ollama), streamed and collected, without the
 * usage option (a few servers refuse it and nothing here needs it).
 */
export async function askTaskModel(fetch: FetchPort, target: TaskTarget, prompt: string, maxTokens: number, signal: AbortSignal): Promise<string | AppError> {
  let text = '';
  const req = { model: target.model, messages: [{ role: 'user' as const, content: prompt }], params: taskParams(target, maxTokens), usageOption: false };
  for await (const ev of streamChat(fetch, target.endpoint, req, signal)) {
    if (ev.type === 'text') text += ev.text;
    else if (ev.type === 'error') return ev.error;
  }
  return text.trim() === '' ? appError('protocol', 'The task model answered nothing.') : text;
}
