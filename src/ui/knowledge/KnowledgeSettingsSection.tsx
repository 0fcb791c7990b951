import { createMemo, createResource, createSignal, For, onMount, Show } from 'solid-js';
import { useApp } from '../app-context';
import { createLiveQuery } from '../live-query';
import type { Connection } from '../../core/storage/schema';
import { DEFAULT_RAG_SETTINGS, embedderChanged, readRagSettings, type RagSettings } from '../../core/rag/settings';
import { DEFAULT_RAG_TEMPLATE } from '../../core/rag/prompt';
import { isAppError, toAppError } from '../../core/errors';
import { readForm, toForm, type RagForm, type RagFormErrors } from './rag-settings-form';
import './knowledge.css';

/** The knowledge client starts the worker: only when something is saved, imported or re-indexed. */
const client = () => import('../knowledge-client').then((m) => m.knowledgeClient().client);

/**
 * Settings › Knowledge: the embedding engine and model, chunking, retrieval and the RAG
 * template. Read from the settings table; saved through the knowledge worker, which says which
 * bases were indexed with another model, so switching models offers a re-index (never a mix).
 */
export function KnowledgeSettingsSection() {
  const app = useApp();
  const [saved, setSaved] = createSignal<RagSettings>(DEFAULT_RAG_SETTINGS);
  const [form, setForm] = createSignal<RagForm>(toForm(DEFAULT_RAG_SETTINGS));
  const [errors, setErrors] = createSignal<RagFormErrors>({});
  const [status, setStatus] = createSignal('');
  const [failure, setFailure] = createSignal('');
  const [offer, setOffer] = createSignal<{ ids: string[]; docs: number } | null>(null);
  const connections = createLiveQuery<Connection[]>(() => app.db.connections.orderBy('createdAt').toArray(), []);
  const usable = createMemo(() => connections().filter((c) => c.kind === (form().engine === 'ollama' ? 'ollama' : 'openai')));
  // Listed on request (or after an import): asking starts the knowledge worker.
  const [listStored, setListStored] = createSignal(false);
  const [stored, { refetch: refetchStored }] = createResource(listStored, async () => (await client()).storedModels().catch(() => []));

  onMount(async () => {
    try {
      const s = await readRagSettings(app.db);
      setSaved(s);
      setForm(toForm(s));
    } catch (e) {
      setFailure(`Could not read the knowledge settings: ${toAppError(e, 'storage').message}`);
    }
  });

  const set = <K extends keyof RagForm>(k: K, v: RagForm[K]) => {
    setForm({ ...form(), [k]: v });
    setStatus('');
    if (errors()[k]) setErrors({ ...errors(), [k]: undefined });
  };

  const save = async () => {
    setFailure('');
    const r = readForm(form(), usable().map((c) => c.id));
    if (!r.ok) {
      setErrors(r.errors);
      setStatus('');
      return;
    }
    setErrors({});
    const before = saved();
    try {
      const state = await (await client()).setSettings(r.settings);
      if (isAppError(state)) {
        setFailure(state.message);
        return;
      }
      setSaved(r.settings);
      setForm(toForm(r.settings));
      setStatus('Saved.');
      const stale = state.staleKnowledgeIds;
      if (embedderChanged(before, r.settings) && stale.length > 0) {
        const docs = await app.db.documents.where('knowledgeId').anyOf(stale).count();
        setOffer(docs > 0 ? { ids: stale, docs } : null);
        if (docs === 0) await (await client()).reindexAll(stale);
      }
    } catch (e) {
      setFailure(`Could not save: ${toAppError(e).message}`);
    }
  };

  const reindex = async () => {
    const o = offer();
    setOffer(null);
    if (!o) return;
    const r = await (await client()).reindexAll(o.ids).catch((e: unknown) => toAppError(e));
    if (isAppError(r)) setFailure(`Could not re-index: ${r.message}`);
    else setStatus(`Re-indexing ${o.docs} ${o.docs === 1 ? 'document' : 'documents'} with the new model (progress in Knowledge).`);
  };

  /** Loads the saved model now (downloads, with progress, for the in-browser engine) and says how it went. */
  const [loading, setLoading] = createSignal<string | null>(null);
  const [loaded, setLoaded] = createSignal<{ ok: boolean; text: string } | null>(null);
  const loadNow = async () => {
    setLoaded(null);
    setLoading('Loading…');
    // Progress comes through its own messages and can arrive after the load has answered: once it
    // has, a late one must not bring the progress (and the disabled button) back.
    let over = false;
    try {
      const st = await (await client()).loadEmbedder((p) => {
        if (over) return;
        const pct = p.total ? ` ${Math.round(((p.loaded ?? 0) / p.total) * 100)}%` : '';
        setLoading(p.status === 'ready' ? 'Starting…' : `${p.file}${pct}`);
      });
      if (st.error) setLoaded({ ok: false, text: st.error.message });
      else if (st.info) {
        const i = st.info;
        const weights = i.dtype ? `, ${i.dtype} weights` : '';
        setLoaded({ ok: true, text: `Ready: ${i.id}${weights}${i.dims ? `, ${i.dims} dimensions` : ''}${i.device ? `, on ${i.device === 'webgpu' ? 'WebGPU' : 'WebAssembly'}` : ''}.${i.note ? ` ${i.note}` : ''}` });
      }
    } catch (e) {
      setLoaded({ ok: false, text: toAppError(e).message });
    } finally {
      over = true;
      setLoading(null);
    }
  };

  const importFolder = async (files: File[]) => {
    const modelId = form().model.trim();
    if (!modelId) {
      setErrors({ ...errors(), model: 'Enter the model id the files are for first.' });
      return;
    }
    // Paths inside the picked folder: "all-MiniLM-L6-v2/onnx/model.onnx" → "onnx/model.onnx".
    const list = files.map((f) => ({ path: (f.webkitRelativePath || f.name).split('/').slice(f.webkitRelativePath ? 1 : 0).join('/'), data: f as Blob }));
    setStatus('Importing…');
    try {
      const m = await (await client()).importModel(modelId, list);
      setStatus(`Imported ${m.files.length} files for ${m.modelId}.`);
      if (listStored()) void refetchStored();
      else setListStored(true);
    } catch (e) {
      setStatus('');
      setFailure(`Could not import the model files: ${toAppError(e).message}`);
    }
  };

  const err = (k: keyof RagForm) => (
    <Show when={errors()[k]}>{(m) => <span class="error small" data-testid={`knowledge-error-${k}`} role="alert">{m()}</span>}</Show>
  );
  const num = (k: 'chunkSize' | 'chunkOverlap' | 'topK' | 'hybridWeight' | 'fullContextChars', label: string, hint: string, step = '1') => (
    <label>
      <span>{label} <span class="muted small">{hint}</span></span>
      <input type="number" step={step} min="0" data-testid={`knowledge-${k}`} value={form()[k]} aria-invalid={!!errors()[k]} onInput={(e) => set(k, e.currentTarget.value)} />
      {err(k)}
    </label>
  );

  return (
    <section data-testid="knowledge-settings">
      <h3>Knowledge</h3>
      <p class="muted small">How documents are turned into vectors and searched when an answer draws on knowledge.</p>
      <form class="conn-form" onSubmit={(e) => { e.preventDefault(); void save(); }}>
        <label>
          Embedding engine
          <select data-testid="knowledge-engine" value={form().engine} onChange={(e) => set('engine', e.currentTarget.value as RagForm['engine'])}>
            <option value="local">In this browser (transformers.js; nothing leaves the device)</option>
            <option value="openai">OpenAI-compatible server (/v1/embeddings)</option>
            <option value="ollama">Ollama (/api/embed)</option>
          </select>
        </label>
        <Show when={form().engine !== 'local'}>
          <label>
            Connection
            <select data-testid="knowledge-connection" value={form().connectionId} aria-invalid={!!errors().connectionId} onChange={(e) => set('connectionId', e.currentTarget.value)}>
              <option value="">Choose…</option>
              <For each={usable()}>{(c) => <option value={c.id}>{c.name || c.url}</option>}</For>
            </select>
            {err('connectionId')}
          </label>
        </Show>
        <label>
          <span>Embedding model <span class="muted small">{form().engine === 'local' ? '(a Hugging Face id with ONNX weights)' : '(as the server names it)'}</span></span>
          <input data-testid="knowledge-model" value={form().model} aria-invalid={!!errors().model} onInput={(e) => set('model', e.currentTarget.value)}
            placeholder={form().engine === 'local' ? 'Xenova/all-MiniLM-L6-v2' : form().engine === 'ollama' ? 'nomic-embed-text' : 'text-embedding-3-small'} />
          {err('model')}
        </label>
        <Show when={form().engine === 'local'}>
          <label>
            <span>Model files from <span class="muted small">(a mirror with the Hugging Face layout; empty = imported files only)</span></span>
            <input data-testid="knowledge-base-url" value={form().localBaseUrl} aria-invalid={!!errors().localBaseUrl} onInput={(e) => set('localBaseUrl', e.currentTarget.value)} placeholder="https://huggingface.co/" />
            {err('localBaseUrl')}
          </label>
          <label>
            <span>Model weights <span class="muted small">(any of them gives this model's vectors: no re-index when it changes)</span></span>
            <select data-testid="knowledge-dtype" value={form().localDtype} onChange={(e) => set('localDtype', e.currentTarget.value as RagForm['localDtype'])}>
              <option value="auto">Automatic (full precision on WebGPU, quantized on WebAssembly; the other when a file is missing)</option>
              <option value="fp32">Full precision (fp32, onnx/model.onnx)</option>
              <option value="q8">Quantized (q8, onnx/model_quantized.onnx)</option>
            </select>
          </label>
          <div class="field">
            <span>Import model files <span class="muted small">(a model's folder: config.json, tokenizer.json, onnx/…; for use without downloads)</span></span>
            <input type="file" multiple data-testid="knowledge-model-import" ref={(el) => el.setAttribute('webkitdirectory', '')}
              onChange={(e) => { const f = [...(e.currentTarget.files ?? [])]; e.currentTarget.value = ''; if (f.length) void importFolder(f); }} />
            <Show when={!listStored()}>
              <button type="button" class="btn small kn-list-stored" data-testid="knowledge-list-stored" onClick={() => setListStored(true)}>Show stored model files</button>
            </Show>
            <Show when={listStored() && stored() && stored()!.length === 0}><span class="muted small">No model files stored in this browser yet.</span></Show>
            <Show when={(stored() ?? []).length > 0}>
              <ul class="small muted kn-stored" data-testid="knowledge-stored-models">
                <For each={stored()}>{(m) => <li>{m.modelId}: {m.files.length} files, {(m.bytes / 1024 / 1024).toFixed(1)} MB</li>}</For>
              </ul>
            </Show>
          </div>
        </Show>
        {num('chunkSize', 'Chunk size', '(characters per passage)')}
        {num('chunkOverlap', 'Chunk overlap', '(characters repeated between passages)')}
        {num('topK', 'Passages per answer (top k)', '')}
        {num('hybridWeight', 'Hybrid weight', '(0 = keywords only, 1 = meaning only)', '0.05')}
        {num('fullContextChars', 'Whole-file limit', '(attached files up to this many characters go in whole; 0 = always search)')}
        <label>
          <span>RAG template <span class="muted small">({'{{CONTEXT}}'} = the passages, {'{{QUERY}}'} = the question; empty = the default)</span></span>
          <textarea data-testid="knowledge-template" rows={8} value={form().template || DEFAULT_RAG_TEMPLATE} aria-invalid={!!errors().template}
            onInput={(e) => set('template', e.currentTarget.value === DEFAULT_RAG_TEMPLATE ? '' : e.currentTarget.value)} />
          {err('template')}
        </label>
        <div class="row">
          <button type="button" class="btn small" data-testid="knowledge-template-reset" onClick={() => set('template', '')}>Reset template to default</button>
          <button type="submit" class="btn primary" data-testid="knowledge-settings-save">Save knowledge settings</button>
          <span class="muted small" role="status" data-testid="knowledge-settings-status">{status()}</span>
        </div>
        <div class="row">
          <button type="button" class="btn small" data-testid="knowledge-load" disabled={loading() !== null} onClick={() => void loadNow()}>Load the saved model now</button>
          <Show when={loading()}>{(l) => <span class="muted small" data-testid="knowledge-load-progress">{l()}</span>}</Show>
          <Show when={loaded()}>{(r) => <span class="small" classList={{ error: !r().ok }} data-testid="knowledge-load-result" role="status">{r().text}</span>}</Show>
        </div>
        <p class="muted small">A new chunk size or overlap applies to documents added from now on; re-index a document to apply it to it.</p>
        <Show when={failure()}><p class="error small" role="alert" data-testid="knowledge-settings-error">{failure()}</p></Show>
        <Show when={offer()}>
          {(o) => (
            <div class="kn-offer" role="alertdialog" aria-label="Re-index with the new model" data-testid="knowledge-reindex-offer">
              <p class="small">Re-index all {o().docs} {o().docs === 1 ? 'document' : 'documents'} with the new model? Until then, knowledge indexed with the old model is not searched (vectors of two models are never mixed).</p>
              <div class="row">
                <button type="button" class="btn primary small" data-testid="knowledge-reindex-all" onClick={() => void reindex()}>Re-index</button>
                <button type="button" class="btn small" onClick={() => setOffer(null)}>Later</button>
              </div>
            </div>
          )}
        </Show>
      </form>
    </section>
  );
}
