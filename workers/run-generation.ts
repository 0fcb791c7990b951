import { readBranch } from '../src/core/storage/chats';
import type { Chat, Connection, Message, MessageMetrics, MessageSource } from '../src/core/storage/schema';
import { appError, isQuotaError, STORAGE_FULL_ANSWER, toAppError, type AppError } from '../src/core/errors';
import { streamChat } from '../src/core/providers/stream-chat';
import { mergeParams, readParams } from '../src/core/params';
import { SETTINGS } from '../src/core/storage/settings-keys';
import type { ChatEvent, ChatMessage, ChatRequest, Usage } from '../src/core/providers/types';
import { endpointOf } from './endpoint-of';
import { loadImages, type ChatImages } from './load-images';
import { withContext } from '../src/core/launch/context-block';
import type { GenerateRequest, StreamUpdate } from './api';
import type { EnginePorts, WebGpuPort } from './ports';
import type { WebGpuLoadProgress } from './webgpu/api';
import type { ContextRequest } from './knowledge/api';
import { streamEvents } from './webgpu/stream-events';

/** How often a growing answer is written to IndexedDB: a reload loses at most this much. */
export const PERSIST_INTERVAL_MS = 250;

/**
 * Least time between two delta messages to the UI. The UI renders at most 12 times a second,
 * so deltas sent more often than this would only cost it work; the end is sent at once.
 */
export const DELTA_INTERVAL_MS = 50;

/**
 * A request id for the in-browser model worker. Two engines talk to it (the worker's, and the
 * page's for temporary chats), each with its own module state, so a counter could collide.
 */
function webgpuRequestId(): number {
  return Math.floor(Math.random() * Number.MAX_SAFE_INTEGER);
}

/**
 * The answer's events: over HTTP for servers, through the in-browser model worker for `webgpu`
 * connections (its load progress goes to `onLoading`). Both end with one done or error.
 */
async function* answerEvents(ports: EnginePorts, conn: Connection, chatReq: ChatRequest, signal: AbortSignal, onLoading: (p: WebGpuLoadProgress) => void): AsyncGenerator<ChatEvent> {
  if (conn.kind !== 'webgpu') {
    yield* streamChat(ports.fetch, endpointOf(conn, ports.appOrigin), chatReq, signal);
    return;
  }
  let gpu: WebGpuPort | null = null;
  try {
    gpu = ports.webgpu ? await ports.webgpu() : null;
  } catch (e) {
    yield { type: 'error', error: appError('internal', 'The in-browser model worker could not be started.', { detail: toAppError(e).message }) };
    return;
  }
  if (!gpu) {
    yield { type: 'error', error: appError('internal', 'In-browser models cannot run here: this engine has no way to reach the WebGPU worker.') };
    return;
  }
  yield* streamEvents(gpu, webgpuRequestId(), chatReq, signal, { onProgress: onLoading });
}

export function runLockName(messageId: string): string {
  return `parley-run:${messageId}`;
}

/** Strips the connection's prefix (`prefix.model`) to get the id the server knows. */
export function serverModelId(model: string, prefixId: string): string {
  return prefixId && model.startsWith(`${prefixId}.`) ? model.slice(prefixId.length + 1) : model;
}

/** The stored default system prompt, or '' when there is none (or it is not text). */
export function readDefaultSystem(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/**
 * `images`: each question's images by message id (see `loadImages`). `ragPrompt`: the retrieval
 * prompt (buildRagPrompt: template, sources, query) for the last question, put before its text
 * as Open WebUI does when RAG_SYSTEM_CONTEXT is off (add_or_update_user_message, append=False).
 */
export function buildMessages(system: string, branch: Message[], images: ReadonlyMap<string, ChatImages> = new Map(), ragPrompt?: string): ChatMessage[] {
  const out: ChatMessage[] = [];
  if (system.trim()) out.push({ role: 'system', content: system });
  const lastUser = ragPrompt ? branch.findLastIndex((m) => m.role === 'user') : -1;
  for (const [i, m] of branch.entries()) {
    // A failed or empty assistant turn carries nothing the model should see.
    if (m.role === 'assistant' && m.content === '') continue;
    const imgs = images.get(m.id);
    // Pages attached to a question go before it, in every later request of the branch too.
    let content = m.role === 'user' ? withContext(m.content, m.context) : m.content;
    if (i === lastUser) content = `${ragPrompt}\n${content}`;
    out.push(imgs && imgs.length > 0 ? { role: m.role, content, images: imgs } : { role: m.role, content });
  }
  return out;
}

/** What an answer retrieves from: the chat's knowledge bases and the files attached to the branch's questions; null = nothing. */
export function knowledgeScope(chat: Pick<Chat, 'knowledgeIds'>, branch: readonly Message[]): ContextRequest | null {
  const knowledgeIds = [...new Set(chat.knowledgeIds ?? [])];
  const documentIds = [...new Set(branch.flatMap((m) => (m.role === 'user' ? (m.files ?? []).map((f) => f.documentId) : [])))];
  const lastUser = branch.findLast((m) => m.role === 'user');
  if ((knowledgeIds.length === 0 && documentIds.length === 0) || !lastUser) return null;
  return { query: lastUser.content, knowledgeIds, documentIds };
}

/** The note under an answer whose knowledge could not be used. */
export function knowledgeFailedNote(why: string): string {
  return `The attached knowledge could not be searched (${why}); this answer was written without it.`;
}

/**
 * The sources for this answer, from the knowledge worker (never throws: a failure becomes the
 * note, and the answer goes on without). A continued answer keeps the sources it started with.
 */
async function gatherSources(ports: EnginePorts, scope: ContextRequest, msg: Message, continuing: boolean): Promise<{ sources: MessageSource[]; note?: string; template: string }> {
  if (continuing && msg.sources) {
    const template = (await ports.db.settings.get(SETTINGS.ragTemplate))?.value;
    return { sources: msg.sources, template: typeof template === 'string' ? template : '' };
  }
  try {
    const k = ports.knowledge ? await ports.knowledge() : null;
    if (!k) return { sources: [], note: knowledgeFailedNote('knowledge is not available here'), template: '' };
    const r = await k.context(scope);
    return { sources: r.sources, template: r.template, ...(r.note ? { note: r.note } : {}) };
  } catch (e) {
    return { sources: [], note: knowledgeFailedNote(toAppError(e).message), template: '' };
  }
}

/**
 * Streams one assistant message: sends deltas to the UI as they arrive, writes the growing
 * message every PERSIST_INTERVAL_MS and once at the end. `signal` is the user's stop.
 */
export async function runGeneration(
  ports: EnginePorts,
  req: GenerateRequest,
  signal: AbortSignal,
  onUpdate: (u: StreamUpdate) => void,
): Promise<void> {
  const { db, clock } = ports;
  const { messageId } = req;
  const msg = await db.messages.get(messageId);
  if (!msg || msg.chatId !== req.chatId) return;

  const end = async (status: 'done' | 'error', error: AppError | null, finishReason: string | null, patch: Partial<Message> = {}) => {
    const now = clock.now();
    let stored: AppError | null = error;
    try {
      await db.transaction('rw', db.messages, db.chats, async () => {
        await db.messages.update(messageId, { ...patch, status, error, finishReason, updatedAt: now });
        await db.chats.update(req.chatId, { updatedAt: now });
      });
    } catch (e) {
      stored = isQuotaError(e) ? appError('storage', STORAGE_FULL_ANSWER, { detail: String(e), code: 'QuotaExceededError' }) : toAppError(e, 'storage');
      status = 'error';
    }
    onUpdate({ messageId, type: 'end', status, error: stored, finishReason });
  };

  const chat = await db.chats.get(req.chatId);
  const conn = msg.connectionId ? await db.connections.get(msg.connectionId) : undefined;
  if (!chat) return;
  if (!conn) return end('error', appError('invalid', 'The connection for this model was removed. Pick another model and regenerate.'), null);
  if (!conn.enabled) return end('error', appError('invalid', `The connection “${conn.name}” is disabled. Enable it in Settings or pick another model.`), null);

  // The request is built from this branch only (read by its nodes: only its own rows are
  // loaded); a continued answer ends it, so the model goes on from its text.
  const branch = await readBranch(db, req.chatId, req.continue ? msg.id : msg.parentId);

  // Knowledge: retrieved before the request; the passages are stored on the answer at once so
  // the source list shows while it streams. The prompt module loads only for such chats.
  const scope = knowledgeScope(chat, branch);
  let ragPrompt: string | undefined;
  let ragPatch: Partial<Message> = {};
  if (scope) {
    // A stop during retrieval ends the wait at once (the request then ends as stopped).
    const stopped = new Promise<{ sources: MessageSource[]; template: string }>((resolve) => {
      if (signal.aborted) resolve({ sources: [], template: '' });
      else signal.addEventListener('abort', () => resolve({ sources: [], template: '' }), { once: true });
    });
    const rag: { sources: MessageSource[]; note?: string; template: string } = await Promise.race([gatherSources(ports, scope, msg, req.continue === true), stopped]);
    ragPatch = { sources: rag.sources, ...(rag.note ? { sourcesNote: rag.note } : {}) };
    if (!req.continue) await db.messages.update(messageId, ragPatch).catch(() => undefined);
    if (rag.sources.length > 0) {
      const { buildRagPrompt } = await import('../src/core/rag/prompt');
      ragPrompt = buildRagPrompt(rag.template, rag.sources.map((x) => ({ name: x.docName, text: x.text })), scope.query);
    }
  }
  const chatReq: ChatRequest = {
    model: serverModelId(msg.model, conn.prefixId),
    // A chat without its own system prompt uses the default from Settings.
    messages: buildMessages(chat.system.trim() ? chat.system : readDefaultSystem((await db.settings.get(SETTINGS.defaultSystem))?.value), branch, await loadImages(db, branch), ragPrompt),
    // The defaults from Settings, with this chat's own values winning field by field.
    params: mergeParams(readParams((await db.settings.get(SETTINGS.defaultParams))?.value), readParams(chat.params)),
  };

  /** What the message holds so far, and what the UI has not been sent yet; same three parts. */
  type Parts = { text: string; reasoning: string; refusal: string };
  const parts: Parts = { text: msg.content, reasoning: msg.reasoning, refusal: msg.refusal };
  let usage: Usage | null = msg.usage;
  let finishReason: string | null = null;
  let error: AppError | null = null;

  // Deltas gathered since the last message to the UI. The first goes out on a 0 ms timer (so
  // the events of one network read cross the bridge as one message); after that at most one
  // message per DELTA_INTERVAL_MS, since each costs the UI thread a task and a reply.
  let pending: Parts = { text: '', reasoning: '', refusal: '' };
  let flushTimer: unknown = null;
  let lastFlush = -Infinity;
  const flush = () => {
    flushTimer = null;
    if (!pending.text && !pending.reasoning && !pending.refusal) return;
    lastFlush = clock.now();
    onUpdate({ messageId, type: 'delta', ...pending });
    pending = { text: '', reasoning: '', refusal: '' };
  };
  const scheduleFlush = () => {
    if (flushTimer === null) flushTimer = clock.setTimeout(flush, Math.max(0, lastFlush + DELTA_INTERVAL_MS - clock.now()));
  };

  let dirty = false;
  let writing: Promise<unknown> = Promise.resolve();
  const persist = () => {
    if (!dirty) return;
    dirty = false;
    const patch = { content: parts.text, reasoning: parts.reasoning, refusal: parts.refusal, updatedAt: clock.now() };
    // Writes are chained so an older snapshot can never land after a newer one.
    writing = writing.then(() => db.messages.update(messageId, patch)).catch(() => undefined);
  };
  let persistTimer: unknown = null;
  const tick = () => {
    persist();
    persistTimer = clock.setTimeout(tick, PERSIST_INTERVAL_MS);
  };
  persistTimer = clock.setTimeout(tick, PERSIST_INTERVAL_MS);

  // Timings for the usage line and the reasoning duration (clock ms). Reasoning ends at the
  // first text or refusal after it; until then its end follows the latest reasoning event.
  const metrics: MessageMetrics = { startedAt: clock.now() };
  let reasoningClosed = false;
  const mark = (type: 'text' | 'reasoning' | 'refusal') => {
    const now = clock.now();
    metrics.firstTokenAt ??= now;
    if (type === 'reasoning') {
      metrics.reasoningStartedAt ??= now;
      if (!reasoningClosed) metrics.reasoningEndedAt = now;
    } else if (metrics.reasoningStartedAt !== undefined && !reasoningClosed) {
      metrics.reasoningEndedAt = now;
      reasoningClosed = true;
    }
  };

  try {
    const onLoading = (progress: WebGpuLoadProgress) => onUpdate({ messageId, type: 'loading', progress });
    for await (const ev of answerEvents(ports, conn, chatReq, signal, onLoading)) {
      switch (ev.type) {
        case 'text':
        case 'reasoning':
        case 'refusal':
          if (ev.text) mark(ev.type);
          parts[ev.type] += ev.text;
          pending[ev.type] += ev.text;
          dirty = true;
          scheduleFlush();
          break;
        case 'usage':
          usage = ev.usage;
          break;
        case 'error':
          error = ev.error;
          break;
        case 'done':
          finishReason = ev.finishReason;
          break;
        case 'tool-call':
          // Tools arrive with a later issue; the text around them is still kept.
          break;
      }
      if (error) break;
    }
  } catch (e) {
    error = toAppError(e);
  } finally {
    metrics.endedAt = clock.now();
    if (persistTimer !== null) clock.clearTimeout(persistTimer);
    if (flushTimer !== null) clock.clearTimeout(flushTimer);
    flush();
    await writing;
  }

  const patch = { ...ragPatch, content: parts.text, reasoning: parts.reasoning, refusal: parts.refusal, usage, metrics };
  if (error?.kind === 'aborted' || (signal.aborted && !error)) return end('done', null, 'stopped', patch);
  if (error) return end('error', error, finishReason, patch);
  return end('done', null, finishReason, patch);
}
