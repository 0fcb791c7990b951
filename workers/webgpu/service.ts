import { appError, type AppError } from '../../src/core/errors';
import { splitThinkTags } from '../../src/core/providers/split-think-tags';
import { abortedError } from '../../src/core/providers/transport-errors';
import type { ChatEvent, ChatMessage, ChatRequest, Usage } from '../../src/core/providers/types';
import type { CachedModel, LoadResult, WebGpuApi, WebGpuLoadProgress } from './api';
import { buildCatalog } from './catalog';
import type { GpuErrorContext } from '../../src/core/webgpu/gpu-errors';
import { f32VariantOf } from './catalog';
import { classifyServiceError } from './classify-error';
import { parseProgress } from './parse-progress';
import type { WebLlmAppConfig, WebLlmCache, WebLlmChatRequest, WebLlmChunk, WebLlmMessage, WebLlmRuntime, WebLlmUsage } from './runtime';

export interface WebGpuServiceDeps {
  runtime: WebLlmRuntime;
  cache: WebLlmCache;
  /** prebuiltAppConfig, or the one a model source rewrote; also given to the engine. */
  appConfig: WebLlmAppConfig;
  /** Default classifyServiceError (gpu-errors' classifier plus the service's own cases). */
  classifyError?: (err: unknown, ctx: GpuErrorContext) => AppError;
  /** navigator.userAgent of the worker, for the per-browser no-WebGPU advice. */
  userAgent?: string;
  /**
   * After a failed load: the URL of the file that failed, when the error does not name it
   * (the Cache API's does not), e.g. findMissingModelFile (failed-file.ts) over `caches`.
   */
  findFailedFile?: (modelId: string) => Promise<string | undefined>;
  /** Bytes stored per model id (cache-size.ts over the worker's `caches`); without it no sizes. */
  measure?: (appConfig: WebLlmAppConfig) => Promise<Map<string, number>>;
}

/** Cancels remembered for streams not arrived yet (a caller's cancel can overtake its stream). */
const EARLY_CANCELS = 64;
const MODEL_TYPE_EMBEDDING = 1;

type Progress = ((p: WebGpuLoadProgress) => void) | undefined;
interface LoadOp {
  modelId: string;
  cancelled: boolean;
}
interface StreamState {
  phase: 'queued' | 'loading' | 'generating';
  cancelled: boolean;
  /** The last event went out: nothing more may be sent. */
  ended: boolean;
  emit: (ev: ChatEvent) => void;
  finish: () => void;
}

/**
 * The WebGPU worker's logic over a web-llm engine (real or FakeWebLlm). One model on the GPU
 * at a time; loads, streams, unloads and deletes run one after another, so a load never lands
 * in the middle of an answer. Cancels do not queue: they act at once (web-llm's unload aborts
 * a reload; interruptGenerate stops a generation at its next decode step).
 */
export function createWebGpuService(deps: WebGpuServiceDeps): WebGpuApi {
  const { runtime, cache, appConfig } = deps;
  const classifyWith = deps.classifyError ?? classifyServiceError;
  /** The context gpu-errors needs: the model, its f32 variant when web-llm has one, the browser. */
  const context = (modelId: string, failedUrl?: string): GpuErrorContext => {
    const ctx: GpuErrorContext = { modelId };
    const f32 = f32VariantOf(modelId);
    if (f32 !== undefined && known(f32)) ctx.f32Variant = f32;
    if (deps.userAgent !== undefined) ctx.userAgent = deps.userAgent;
    if (failedUrl !== undefined) ctx.failedUrl = failedUrl;
    return ctx;
  };
  const classify = (err: unknown, modelId: string): AppError => classifyWith(err, context(modelId));
  /** A generation's error; a lost device has dropped the model (web-llm unloads it). */
  const classifyGenerate = (err: unknown, modelId: string): AppError => {
    const error = classify(err, modelId);
    if (error.code === 'device-lost') loaded = null;
    return error;
  };
  /** A load's error, with the file that failed when it can be found (async: it reads the cache). */
  async function classifyLoad(err: unknown, modelId: string): Promise<AppError> {
    const failedUrl = deps.findFailedFile ? await deps.findFailedFile(modelId).catch(() => undefined) : undefined;
    return classifyWith(err, context(modelId, failedUrl));
  }
  let loaded: string | null = null;
  let loading: LoadOp | null = null;
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = queue.then(fn, fn);
    queue = run.catch(() => undefined);
    return run;
  };
  const streams = new Map<number, StreamState>();
  const early = new Set<number>();

  const known = (modelId: string) => appConfig.model_list.some((r) => r.model_id === modelId && r.model_type !== MODEL_TYPE_EMBEDDING);

  /** Runs inside `serial`. Throws an AppError. */
  async function loadNow(modelId: string, onProgress: Progress): Promise<LoadResult> {
    if (loaded === modelId) return { modelId, alreadyLoaded: true };
    if (!known(modelId)) throw appError('invalid', `${modelId} is not in the model list.`, { code: 'unknown-model' });
    const op: LoadOp = { modelId, cancelled: false };
    loading = op;
    runtime.setInitProgressCallback((report) => {
      if (!op.cancelled) onProgress?.(parseProgress(report));
    });
    let failure: { err: unknown } | undefined;
    try {
      if (loaded !== null) {
        // reload() unloads too; doing it here first keeps `loaded` true to what is on the GPU.
        loaded = null;
        await runtime.unload();
      }
      await runtime.reload(modelId);
    } catch (err) {
      loaded = null;
      failure = { err };
    } finally {
      loading = null;
      runtime.setInitProgressCallback(() => undefined);
    }
    if (failure) throw op.cancelled ? abortedError() : await classifyLoad(failure.err, modelId);
    // web-llm's reload resolves, not rejects, when unload() aborted it.
    if (op.cancelled) throw abortedError();
    loaded = modelId;
    return { modelId, alreadyLoaded: false };
  }

  async function cancelLoadNow(): Promise<void> {
    const op = loading;
    if (!op || op.cancelled) return;
    op.cancelled = true;
    await runtime.unload();
  }

  async function runStream(state: StreamState, request: ChatRequest, onProgress: Progress): Promise<void> {
    if (state.cancelled) return state.emit({ type: 'error', error: abortedError() });
    if (loaded !== request.model) {
      state.phase = 'loading';
      try {
        await loadNow(request.model, onProgress);
      } catch (err) {
        return state.emit({ type: 'error', error: classify(err, request.model) });
      }
      if (state.cancelled) return state.emit({ type: 'error', error: abortedError() });
    }
    state.phase = 'generating';
    let chunks: AsyncIterable<WebLlmChunk>;
    try {
      chunks = await runtime.chat.completions.create(toWebLlmRequest(request));
    } catch (err) {
      return state.emit({ type: 'error', error: classifyGenerate(err, request.model) });
    }
    for await (const ev of splitThinkTags(toEvents(chunks, state, request.model))) state.emit(ev);
  }

  async function* toEvents(chunks: AsyncIterable<WebLlmChunk>, state: StreamState, modelId: string): AsyncGenerator<ChatEvent> {
    let finish: string | null = null;
    try {
      for await (const chunk of chunks) {
        const choice = chunk.choices[0];
        // Content after a cancel is dropped. Leaving the loop calls the generator's return(),
        // which stops web-llm even if the interrupt was lost (it resets the flag on start).
        if (state.cancelled && choice && choice.finish_reason === null) break;
        const content = choice?.delta.content;
        if (content && !state.cancelled) yield { type: 'text', text: content };
        if (choice?.finish_reason) finish = choice.finish_reason;
        if (chunk.usage) yield { type: 'usage', usage: toUsage(chunk.usage) };
      }
    } catch (err) {
      if (state.cancelled) {
        yield { type: 'error', error: abortedError() };
        return;
      }
      // web-llm unloads on device loss: the next message must load again.
      const error = classifyGenerate(err, modelId);
      yield { type: 'error', error, finishReason: finish };
      return;
    }
    if (state.cancelled || finish === 'abort') yield { type: 'error', error: abortedError() };
    else yield { type: 'done', finishReason: finish };
  }

  return {
    catalog: async (caps) => buildCatalog(appConfig.model_list, caps),

    load: (modelId, onProgress) => serial(() => loadNow(modelId, onProgress)),

    cancelLoad: cancelLoadNow,

    stream(requestId, request, onEvent, onProgress) {
      return new Promise<void>((resolve) => {
        const state: StreamState = {
          phase: 'queued',
          cancelled: false,
          ended: false,
          emit(ev) {
            if (state.ended) return;
            if (ev.type === 'done' || ev.type === 'error') state.ended = true;
            onEvent(ev);
          },
          finish: resolve,
        };
        if (early.delete(requestId)) {
          state.emit({ type: 'error', error: abortedError() });
          return resolve();
        }
        streams.set(requestId, state);
        void serial(async () => {
          try {
            if (!state.ended) await runStream(state, request, onProgress);
          } catch (err) {
            state.emit({ type: 'error', error: classifyGenerate(err, request.model) });
          } finally {
            streams.delete(requestId);
            // Every stream ends with one done or error, even if the generator stopped early.
            if (!state.ended) state.emit({ type: 'error', error: abortedError() });
            resolve();
          }
        });
      });
    },

    async cancel(requestId) {
      const state = streams.get(requestId);
      if (!state) {
        early.add(requestId);
        if (early.size > EARLY_CANCELS) early.delete(early.values().next().value as number);
        return;
      }
      if (state.cancelled) return;
      state.cancelled = true;
      if (state.phase === 'queued') {
        // Its turn has not come: answer now; when the turn comes it is skipped.
        state.emit({ type: 'error', error: abortedError() });
        state.finish();
      } else if (state.phase === 'loading') {
        await cancelLoadNow();
      } else {
        runtime.interruptGenerate();
      }
    },

    unload: () =>
      serial(async () => {
        loaded = null;
        await runtime.unload();
      }),

    loaded: async () => loaded,

    // Not queued: reading the cache must not wait for a download or an answer to finish.
    async cached() {
      const out: CachedModel[] = [];
      for (const r of appConfig.model_list) {
        if (r.model_type === MODEL_TYPE_EMBEDDING) continue;
        let has: boolean;
        try {
          has = await cache.hasModelInCache(r.model_id, appConfig);
        } catch (err) {
          throw classify(err, r.model_id);
        }
        if (has) out.push(r.vram_required_MB === undefined ? { modelId: r.model_id } : { modelId: r.model_id, vramRequiredMB: r.vram_required_MB });
      }
      const sizes = deps.measure ? await deps.measure(appConfig).catch(() => undefined) : undefined;
      for (const m of out) {
        const bytes = sizes?.get(m.modelId);
        if (bytes !== undefined) m.bytes = bytes;
      }
      // Files of a model that is not complete: a stopped download (resumable) or leftovers.
      for (const [modelId, bytes] of sizes ?? []) {
        if (bytes > 0 && known(modelId) && !out.some((m) => m.modelId === modelId)) out.push({ modelId, bytes, partial: true });
      }
      return out;
    },

    delete: (modelId) =>
      serial(async () => {
        if (!known(modelId)) throw appError('invalid', `${modelId} is not in the model list.`, { code: 'unknown-model' });
        try {
          // web-llm's delete leaves the weights on the GPU: unload first to free the memory.
          if (loaded === modelId) {
            loaded = null;
            await runtime.unload();
          }
          await cache.deleteModelAllInfoInCache(modelId, appConfig);
        } catch (err) {
          throw classify(err, modelId);
        }
      }),
  };
}

/** Our request → web-llm's. System messages become one leading message (web-llm allows one, first). */
export function toWebLlmRequest(req: ChatRequest): WebLlmChatRequest {
  const system = req.messages.filter((m) => m.role === 'system').map((m) => m.content);
  const rest = req.messages.filter((m) => m.role !== 'system').map(toWebLlmMessage);
  const messages: WebLlmMessage[] = system.length ? [{ role: 'system', content: system.join('\n\n') }, ...rest] : rest;
  const out: WebLlmChatRequest = { messages, stream: true, stream_options: { include_usage: true } };
  const p = req.params ?? {};
  if (p.temperature !== undefined) out.temperature = p.temperature;
  if (p.top_p !== undefined) out.top_p = p.top_p;
  if (p.max_tokens !== undefined) out.max_tokens = p.max_tokens;
  if (p.stop !== undefined && p.stop.length) out.stop = p.stop;
  if (p.seed !== undefined) out.seed = p.seed;
  if (p.frequency_penalty !== undefined) out.frequency_penalty = p.frequency_penalty;
  if (p.presence_penalty !== undefined) out.presence_penalty = p.presence_penalty;
  if (p.repeat_penalty !== undefined) out.repetition_penalty = p.repeat_penalty;
  return out;
}

function toWebLlmMessage(m: ChatMessage): WebLlmMessage {
  if (m.role === 'assistant') return { role: 'assistant', content: m.content };
  if (!m.images?.length) return { role: 'user', content: m.content };
  return {
    role: 'user',
    content: [{ type: 'text', text: m.content }, ...m.images.map((img) => ({ type: 'image_url' as const, image_url: { url: `data:${img.mime};base64,${img.base64}` } }))],
  };
}

/**
 * web-llm's usage, kept whole, plus its timings in llama.cpp's `timings` shape, which
 * normalizeUsage already reads (speed, time to first token, duration).
 */
export function toUsage(u: WebLlmUsage): Usage {
  const promptMs = u.extra.time_to_first_token_s * 1000;
  return {
    ...u,
    timings: {
      prompt_n: u.prompt_tokens,
      prompt_ms: promptMs,
      prompt_per_second: u.extra.prefill_tokens_per_s,
      predicted_n: u.completion_tokens,
      predicted_ms: Math.max(0, u.extra.e2e_latency_s * 1000 - promptMs),
      predicted_per_second: u.extra.decode_tokens_per_s,
    },
  };
}
