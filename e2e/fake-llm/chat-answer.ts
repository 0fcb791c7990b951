/** What a chat request is answered with: reply, reasoning, their tokens, usage counts. */

import type { ServerKind } from './error-bodies';
import { isRecord } from './helpers';
import type { Scenario } from './scenario';
import { countTokens, loremMarkdown, tokenize } from './tokens';

export type Endpoint = 'openai-chat' | 'ollama-chat' | 'ollama-generate';

export interface ChatAnswer {
  endpoint: Endpoint;
  /** The parsed request body. */
  body: Record<string, unknown>;
  model: string;
  /** The request's number (1, 2, …), for deterministic ids. */
  n: number;
  reply: string;
  reasoning: string;
  contentToks: string[];
  reasoningToks: string[];
  finishReason: string;
  pTokens: number;
  evalCount: number;
  stream: boolean;
}

/** Text of a message `content`: a string, or OpenAI content parts (text parts joined). */
function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((p) => (isRecord(p) && typeof p['text'] === 'string' ? p['text'] : ''))
      .filter((t) => t !== '')
      .join('\n');
  }
  return '';
}

function messagesOf(body: Record<string, unknown>): Array<Record<string, unknown>> {
  const m = body['messages'];
  return Array.isArray(m) ? m.filter(isRecord) : [];
}

export function lastUserText(body: Record<string, unknown>, endpoint: Endpoint): string {
  if (endpoint === 'ollama-generate') return typeof body['prompt'] === 'string' ? body['prompt'] : '';
  const msgs = messagesOf(body);
  for (let i = msgs.length - 1; i >= 0; i--) {
    const m = msgs[i];
    if (m && m['role'] === 'user') return contentText(m['content']);
  }
  return '';
}

function promptTokens(body: Record<string, unknown>, endpoint: Endpoint): number {
  if (endpoint === 'ollama-generate') {
    const p = typeof body['prompt'] === 'string' ? body['prompt'] : '';
    const sys = typeof body['system'] === 'string' ? body['system'] : '';
    return countTokens(sys) + countTokens(p) + 8;
  }
  let n = 3;
  for (const m of messagesOf(body)) n += 4 + countTokens(contentText(m['content']));
  return n;
}

export function planAnswer(
  body: Record<string, unknown>,
  endpoint: Endpoint,
  kind: ServerKind,
  model: string,
  s: Scenario,
  n: number,
): ChatAnswer {
  const think = body['think'];
  const defaultReasoning =
    (kind === 'openai' && model.includes('reasoner')) || (kind === 'ollama' && think !== undefined && think !== false);
  const userText = lastUserText(body, endpoint);
  const reply = s.reply ?? (s.tokens !== undefined ? loremMarkdown(s.tokens) : `You said: ${userText}`);
  const reasoning = s.reasoning ?? (defaultReasoning ? `The user wrote "${userText}". I will echo it back.` : '');
  const contentToks = tokenize(reply);
  const reasoningToks = tokenize(reasoning);
  const finishReason = s.finishReason ?? 'stop';
  const pTokens = promptTokens(body, endpoint);
  const evalCount = contentToks.length + reasoningToks.length;
  const stream = kind === 'openai' ? body['stream'] === true : body['stream'] !== false; // Ollama streams by default
  return { endpoint, body, model, n, reply, reasoning, contentToks, reasoningToks, finishReason, pTokens, evalCount, stream };
}
