/** Chat requests (OpenAI chat completions, Ollama chat and generate): scenario, checks, answer. */

import { planAnswer, type Endpoint } from './chat-answer';
import { badRequest, type ServerKind } from './error-bodies';
import { isRecord } from './helpers';
import { preamble } from './preamble';
import { sendError, type Ctx } from './request-context';
import type { Scenario } from './scenario';
import { serveFixture } from './serve-fixture';
import type { FakeState } from './state';
import { writeOllamaChat } from './write-ollama';
import { writeOpenAiChat } from './write-openai';
import { taskKindOf, taskReply } from './task';

export async function chat(ctx: Ctx, endpoint: Endpoint, state: FakeState): Promise<void> {
  const kind: ServerKind = endpoint === 'openai-chat' ? 'openai' : 'ollama';
  const body = isRecord(ctx.json) ? ctx.json : undefined;
  const model = body && typeof body['model'] === 'string' ? body['model'] : undefined;
  const task = taskKindOf(body);
  // Highest first: the URL prefix, the queue, the model's scenario, none. A task request never
  // takes a queued scenario (it was meant for the next chat request) nor the model's: only the task scenario.
  const picked: Scenario = task
    ? ctx.prefix ?? state.taskScenario ?? {}
    : ctx.prefix ?? state.queued.shift() ?? (model !== undefined ? state.scenarios.get(model) : undefined) ?? {};
  const s: Scenario = task && body && picked.reply === undefined && picked.tokens === undefined ? { ...picked, reply: taskReply(task, body) } : picked;

  if (s.cors === false) ctx.cors = {};
  if (await preamble(ctx, s, kind, model, false)) return;
  if (s.fixture !== undefined) return serveFixture(ctx, s, s.fixture, state.fixturesDir);

  if (!body) return sendError(ctx, badRequest(kind, 'json', ctx.jsonError));
  if (model === undefined || model === '') return sendError(ctx, badRequest(kind, 'model'));
  if (endpoint !== 'ollama-generate' && !Array.isArray(body['messages'])) {
    if (kind === 'openai') return sendError(ctx, badRequest(kind, 'messages'));
  }

  const n = ++state.counter;
  const answer = planAnswer(body, endpoint, kind, model, s, n);
  if (kind === 'openai') return writeOpenAiChat(ctx, s, answer);
  return writeOllamaChat(ctx, s, answer);
}
