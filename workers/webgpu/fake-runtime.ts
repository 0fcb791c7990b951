import type {
  WebLlmAppConfig,
  WebLlmCache,
  WebLlmChatRequest,
  WebLlmChunk,
  WebLlmFinishReason,
  WebLlmModelRecord,
  WebLlmProgressReport,
  WebLlmRuntime,
  WebLlmUsage,
} from './runtime';

/**
 * A faithful stand-in for web-llm 0.2.86's MLCEngine and cache functions, for unit tests and
 * (through the same worker entry) e2e. What it copies from the real source (lib/index.js):
 * - progress texts of tvmjs fetchTensorCacheInternal / shader loading / reloadInternal, with
 *   progress restarting at 0 for "Loading model from cache"; no fetch phase when fully cached;
 * - reload() unloads first; unload() during reload makes reload RESOLVE (AbortError swallowed);
 * - error classes by name and message (ModelNotFoundError, ShaderF16SupportError,
 *   DeviceLostError after an OOM in reload, ModelNotLoadedError), Cache.add's TypeError for a
 *   missing file, QuotaExceededError, the tensor-cache range error of a truncated shard;
 * - chunks: every content chunk has `delta: { content, role: 'assistant' }` (the first one
 *   right after prefill), then `delta: {}` with finish_reason, then `choices: []` + usage when
 *   stream_options.include_usage; interruptGenerate() is checked before each decode step and
 *   ends with 'abort'; the interrupt flag is reset when a generation starts.
 * Assumed (not in web-llm's code): the wording of a device lost mid-generation.
 * No timers: each step awaits `tick` (default a macrotask), so tests control interleaving.
 */

export type FakeFailure =
  /** reload throws DeviceLostError at its end, as web-llm does when the GPU ran out of memory. */
  | { kind: 'oom' }
  /** A fetch of shard `shard` (default the middle one) fails as Cache.add does on a 404. */
  | { kind: 'missing-file'; shard?: number }
  /** Storing shard `shard` exceeds the quota. */
  | { kind: 'quota'; shard?: number }
  /** Shard `shard` is truncated: loading it from the cache fails. */
  | { kind: 'corrupt-file'; shard?: number }
  /** The device is lost after `afterChunks` content chunks of a generation. */
  | { kind: 'device-lost'; afterChunks?: number };

export interface FakeWebLlmOptions {
  appConfig: WebLlmAppConfig;
  /** Model ids whose files are all cached already. */
  cached?: Iterable<string>;
  /** Failures by model id (a failure stays until `fail(id, undefined)`). */
  failures?: Record<string, FakeFailure>;
  /** Whether the adapter has shader-f16 (default true). */
  f16?: boolean;
  /** Shards per model (default 4) and MB per shard (default 32). */
  shards?: number;
  shardMB?: number;
  /** The answer's text (default: "You said: " + the last user message). */
  reply?: (request: WebLlmChatRequest, modelId: string) => string;
  /** Models that open their answer with a <think> block (default Qwen3, DeepSeek-R1, *Reasoning*). */
  thinks?: RegExp;
  /** Awaited before each step (default: one macrotask). */
  tick?: () => Promise<void>;
  gpuLabel?: string;
}

export const FAKE_DECODE_TPS = 42.5;
export const FAKE_PREFILL_TPS = 512;
const MIB = 1024 * 1024;

export class FakeWebLlm implements WebLlmRuntime, WebLlmCache {
  /** What was called, in order ("reload:<id>", "unload", "interrupt", "create", "delete:<id>"). */
  readonly calls: string[] = [];
  loadedModel: string | null = null;
  /**
   * How each generation ended: its finish reason, 'return' when the consumer stopped reading
   * (the generator's return(), which in web-llm triggers stop), 'throw' on an error.
   */
  readonly generationEnds: string[] = [];
  /** Shards in the cache per model id: a cancelled download resumes from here. */
  readonly cachedShards = new Map<string, number>();
  private readonly failures = new Map<string, FakeFailure>();
  private progressCallback: ((report: WebLlmProgressReport) => void) | undefined;
  private reloadToken: object | undefined;
  private interruptSignal = false;
  private lock: Promise<void> = Promise.resolve();
  /** Shards per model (params_shard_<i>.bin in fake-caches.ts's view of the cache). */
  readonly shards: number;
  private readonly shardMB: number;
  private readonly tick: () => Promise<void>;

  readonly chat = { completions: { create: (request: WebLlmChatRequest) => this.create(request) } };

  constructor(private readonly options: FakeWebLlmOptions) {
    this.shards = options.shards ?? 4;
    this.shardMB = options.shardMB ?? 32;
    this.tick = options.tick ?? (() => new Promise((resolve) => setTimeout(resolve, 0)));
    for (const id of options.cached ?? []) this.cachedShards.set(id, this.shards);
    for (const [id, f] of Object.entries(options.failures ?? {})) this.failures.set(id, f);
  }

  fail(modelId: string, failure: FakeFailure | undefined): void {
    if (failure) this.failures.set(modelId, failure);
    else this.failures.delete(modelId);
  }

  setInitProgressCallback(callback: (report: WebLlmProgressReport) => void): void {
    this.progressCallback = callback;
  }

  async reload(modelId: string): Promise<void> {
    this.calls.push(`reload:${modelId}`);
    await this.unloadInternal();
    const record = this.record(modelId);
    const token = {};
    this.reloadToken = token;
    const aborted = () => this.reloadToken !== token;
    const failure = this.failures.get(modelId);
    const n = this.shards;
    const started = Date.now();

    await this.tick();
    if (aborted()) return;
    if (record.required_features?.includes('shader-f16') && this.options.f16 === false) throw named('ShaderF16SupportError', SHADER_F16_MESSAGE);

    if ((this.cachedShards.get(modelId) ?? 0) < n) {
      this.report(0, 0, 'Start to fetch params');
      // Config, library, tokenizer and weights index come first: from here they are stored.
      if (!this.cachedShards.has(modelId)) this.cachedShards.set(modelId, 0);
      for (let i = 0; i < n; i++) {
        await this.tick();
        if (aborted()) return;
        const have = this.cachedShards.get(modelId) ?? 0;
        if (i >= have) {
          if (failure?.kind === 'missing-file' && i === (failure.shard ?? n >> 1)) {
            throw new TypeError("Failed to execute 'add' on 'Cache': Request failed");
          }
          if (failure?.kind === 'quota' && i === (failure.shard ?? n >> 1)) throw new DOMException('Quota exceeded.', 'QuotaExceededError');
          this.cachedShards.set(modelId, i + 1);
        }
        const mb = (i + 1) * this.shardMB;
        const secs = Math.ceil((Date.now() - started) / 1000);
        this.report(
          (i + 1) / n,
          secs,
          `Fetching param cache[${i + 1}/${n}]: ${mb}MB fetched. ${Math.floor(((i + 1) * 100) / n)}% completed, ${secs} secs elapsed. ` +
            'It can take a while when we first visit this page to populate the cache. Later refreshes will become faster.',
        );
      }
    }
    for (let i = 0; i < n; i++) {
      await this.tick();
      if (aborted()) return;
      if (failure?.kind === 'corrupt-file' && i === (failure.shard ?? n >> 1)) {
        // web-llm names no file here (its logger names only files that failed to fetch).
        throw new Error(`Tensor-cache record range [0, ${this.shardMB * MIB}) exceeds shard size ${(this.shardMB * MIB) >> 1}`);
      }
      const secs = Math.ceil((Date.now() - started) / 1000);
      this.report(
        (i + 1) / n,
        secs,
        `Loading model from cache[${i + 1}/${n}]: ${(i + 1) * this.shardMB}MB loaded. ${Math.floor(((i + 1) * 100) / n)}% completed, ${secs} secs elapsed.`,
      );
    }
    const modules = 8;
    for (const k of [modules / 2, modules]) {
      await this.tick();
      if (aborted()) return;
      if (this.options.f16 === false && /q\df16/.test(modelId)) {
        // No shader-f16 but not declared in required_features: Dawn refuses the f16 shaders.
        throw new Error("Error while parsing WGSL: :1:8 error: extension 'f16' is not allowed in the current environment");
      }
      this.report(k / modules, 1, `Loading GPU shader modules[${k}/${modules}]: ${Math.floor((k * 100) / modules)}% completed, 1 secs elapsed.`);
    }
    if (failure?.kind === 'oom') throw named('DeviceLostError', DEVICE_LOST_MESSAGE);
    this.report(1, (Date.now() - started) / 1000, `Finish loading on ${this.options.gpuLabel ?? 'WebGPU - fake'}`);
    this.loadedModel = modelId;
    this.reloadToken = undefined;
  }

  async unload(): Promise<void> {
    this.calls.push('unload');
    await this.unloadInternal();
  }

  interruptGenerate(): void {
    this.calls.push('interrupt');
    this.interruptSignal = true;
  }

  async hasModelInCache(modelId: string): Promise<boolean> {
    this.record(modelId);
    return (this.cachedShards.get(modelId) ?? 0) >= this.shards;
  }

  async deleteModelAllInfoInCache(modelId: string): Promise<void> {
    this.calls.push(`delete:${modelId}`);
    this.record(modelId);
    // Like web-llm: deleting does not unload; the loaded weights stay on the GPU.
    this.cachedShards.delete(modelId);
  }

  private async unloadInternal(): Promise<void> {
    this.loadedModel = null;
    this.reloadToken = undefined;
  }

  private report(progress: number, timeElapsed: number, text: string): void {
    this.progressCallback?.({ progress, timeElapsed, text });
  }

  private record(modelId: string): WebLlmModelRecord {
    const r = this.options.appConfig.model_list.find((m) => m.model_id === modelId);
    if (!r) {
      throw named(
        'ModelNotFoundError',
        `Cannot find model record in appConfig for ${modelId}. Please check if the model ID is correct and included in the model_list configuration.`,
      );
    }
    return r;
  }

  private async create(request: WebLlmChatRequest): Promise<AsyncIterable<WebLlmChunk>> {
    this.calls.push('create');
    const model = this.loadedModel;
    if (model === null) {
      throw named(
        'ModelNotLoadedError',
        'Model not loaded before trying to complete ChatCompletionRequest. Please ensure you have called MLCEngine.reload(model) to load the model before initiating APIs, or initialize your engine using CreateMLCEngine() with a valid model configuration.',
      );
    }
    return this.generate(request, model);
  }

  private async *generate(request: WebLlmChatRequest, model: string): AsyncGenerator<WebLlmChunk> {
    let release!: () => void;
    const previous = this.lock;
    this.lock = new Promise((resolve) => (release = resolve));
    await previous;
    let end = 'return';
    try {
      const id = `chatcmpl-fake-${this.calls.length}`;
      const created = 1_765_000_000;
      const chunk = (delta: WebLlmChunk['choices'][number]['delta'], finish: WebLlmFinishReason | null): WebLlmChunk => ({
        id,
        choices: [{ delta, finish_reason: finish, index: 0, logprobs: null }],
        model,
        object: 'chat.completion.chunk',
        created,
      });
      this.interruptSignal = false;
      const tokens = tokenize(this.answer(request, model));
      const max = request.max_tokens ?? Infinity;
      const failure = this.failures.get(model);
      const promptTokens = request.messages.reduce((n, m) => n + Math.ceil(textOf(m.content).length / 4) + 4, 0);
      await this.tick(); // prefill
      let emitted = 0;
      let finish: WebLlmFinishReason = 'stop';
      while (emitted < tokens.length) {
        // The first token comes with prefill; the interrupt is checked before each decode step.
        if (emitted > 0) {
          if (this.interruptSignal) {
            finish = 'abort';
            break;
          }
          await this.tick();
          if (this.loadedModel !== model) throw named('Error', 'Model was unloaded during generation.');
        }
        if (emitted >= max) {
          finish = 'length';
          break;
        }
        if (failure?.kind === 'device-lost' && emitted === (failure.afterChunks ?? 2)) {
          this.loadedModel = null;
          throw new Error('GPUDevice was lost: Device lost during generation (assumed wording).');
        }
        yield chunk({ content: tokens[emitted], role: 'assistant' }, null);
        emitted++;
      }
      end = finish;
      yield chunk({}, finish);
      if (request.stream_options?.include_usage === true) {
        const decodeSecs = emitted / FAKE_DECODE_TPS;
        const ttft = promptTokens / FAKE_PREFILL_TPS;
        const usage: WebLlmUsage = {
          completion_tokens: emitted,
          prompt_tokens: promptTokens,
          total_tokens: emitted + promptTokens,
          extra: {
            e2e_latency_s: ttft + decodeSecs,
            prefill_tokens_per_s: FAKE_PREFILL_TPS,
            decode_tokens_per_s: FAKE_DECODE_TPS,
            time_to_first_token_s: ttft,
            time_per_output_token_s: 1 / FAKE_DECODE_TPS,
          },
        };
        yield { id, choices: [], usage, model, object: 'chat.completion.chunk', created };
      }
    } catch (err) {
      end = 'throw';
      throw err;
    } finally {
      this.generationEnds.push(end);
      release();
    }
  }

  private answer(request: WebLlmChatRequest, model: string): string {
    const last = [...request.messages].reverse().find((m) => m.role === 'user');
    const body = this.options.reply?.(request, model) ?? `You said: ${last ? textOf(last.content) : ''}`;
    if (!(this.options.thinks ?? /^(Qwen3-|DeepSeek-R1)|Reasoning/).test(model)) return body;
    // Qwen3 with enable_thinking false still writes an empty block.
    const thought = request.extra_body?.enable_thinking === false ? '\n\n' : '\nThe user wants an answer. Keep it short.\n';
    return `<think>${thought}</think>\n\n${body}`;
  }
}

/** Splits like a tokenizer would, roughly: words with their trailing space, tags on their own. */
export function tokenize(text: string): string[] {
  return text.match(/<\/?think>|\s+|[^\s<]+\s*|</g) ?? [];
}

function textOf(content: WebLlmChatRequest['messages'][number]['content']): string {
  return typeof content === 'string' ? content : content.map((p) => (p.type === 'text' ? p.text : '')).join('');
}

function named(name: string, message: string): Error {
  const e = new Error(message);
  e.name = name;
  return e;
}

export const SHADER_F16_MESSAGE =
  'This model requires feature This model requires WebGPU extension shader-f16, which is not enabled in this browser. You can try to launch Chrome Canary in command line with flag "--enable-dawn-features=allow_unsafe_apis"., which is not yet supported by this browser.';
export const DEVICE_LOST_MESSAGE =
  'The WebGPU device was lost while loading the model. This issue often occurs due to running out of memory (OOM). To resolve this, try reloading with a model that has fewer parameters or uses a smaller context length.';
