import { createMemo, createResource, createSignal, For, onCleanup, onMount, Show } from 'solid-js';
import { useApp } from '../app-context';
import { createLiveQuery } from '../live-query';
import type { DocumentRecord, Knowledge } from '../../core/rag/schema';
import { isAppError, toAppError } from '../../core/errors';
import { Icon } from '../components/Icon';
import { knowledgeClient } from '../knowledge-client';
import { KnowledgeBaseView, KnowledgeForm } from './KnowledgeBaseView';
import type { DocActions } from './KnowledgeDocRow';
import { addKnowledgeFiles } from './add-files';
import { docView } from './doc-view';
import './knowledge.css';

/** How long a deleted base can be brought back (matches the toast's Undo). */
const UNDO_MS = 10_000;

/**
 * Knowledge bases: the list, a new base, and one base's documents. Lists and progress come from
 * IndexedDB (live queries: the worker writes progress as it goes, and other tabs see it too);
 * changes go through the knowledge worker, which this panel starts (and with it the resumption
 * of anything left unfinished).
 */
export function KnowledgePanel(props: {
  onClose: () => void;
  onOpenSettings?: () => void;
  /** Bases deleted but still within their Undo time (kept by the app, so closing the panel keeps them hidden). */
  hidden: ReadonlySet<string>;
  setHidden: (f: (s: ReadonlySet<string>) => ReadonlySet<string>) => void;
}) {
  const app = useApp();
  const kc = knowledgeClient();
  const fail = (what: string) => (e: unknown) => app.toast.show('error', `${what}: ${toAppError(e).message}`);
  const bases = createLiveQuery<Knowledge[]>(() => app.db.knowledge.orderBy('updatedAt').reverse().toArray(), [], fail('Could not read the knowledge bases'));
  // Only documents of a base are in the knowledgeId index (null is not a key): attached files stay out.
  const docs = createLiveQuery<DocumentRecord[]>(() => app.db.documents.orderBy('knowledgeId').toArray(), [], fail('Could not read the documents'));
  const byBase = createMemo(() => {
    const m = new Map<string, DocumentRecord[]>();
    for (const d of docs()) if (d.knowledgeId) m.set(d.knowledgeId, [...(m.get(d.knowledgeId) ?? []), d]);
    for (const list of m.values()) list.sort((a, b) => a.createdAt - b.createdAt);
    return m;
  });
  const setHidden = (f: (s: ReadonlySet<string>) => ReadonlySet<string>) => props.setHidden(f);
  const shown = () => bases().filter((b) => !props.hidden.has(b.id));
  const [selected, setSelected] = createSignal<string | null>(null);
  const current = () => shown().find((b) => b.id === selected()) ?? null;
  const [creating, setCreating] = createSignal(false);
  const [refused, setRefused] = createSignal<string[]>([]);
  const [embedder, { refetch }] = createResource(() => kc.client.embedderState().catch(() => undefined));
  const stale = (id: string) => embedder()?.staleKnowledgeIds.includes(id) ?? false;

  let dialog!: HTMLDivElement;
  onMount(() => {
    // The focus moves into the dialog, so Tab and screen readers start there.
    dialog.focus();
    const onKey = (e: KeyboardEvent) => { if (e.key === 'Escape' && !e.defaultPrevented) props.onClose(); };
    window.addEventListener('keydown', onKey);
    onCleanup(() => window.removeEventListener('keydown', onKey));
  });

  const create = async (v: { name: string; description: string }) => {
    try {
      const k = await kc.client.createKnowledge(v);
      setCreating(false);
      setSelected(k.id);
    } catch (e) {
      fail('Could not create the knowledge base')(e);
    }
  };

  const remove = (k: Knowledge) => {
    setHidden((s) => new Set([...s, k.id]));
    if (selected() === k.id) setSelected(null);
    // Deleted for real once the Undo has gone (also if the panel is closed meanwhile): until then nothing is lost.
    const timer = setTimeout(() => {
      kc.client.deleteKnowledge(k.id).then(() => setHidden((s) => new Set([...s].filter((x) => x !== k.id))), fail('Could not delete the knowledge base'));
    }, UNDO_MS);
    app.toast.show('info', `Deleted “${k.name}”.`, {
      label: 'Undo',
      run: () => {
        clearTimeout(timer);
        setHidden((s) => new Set([...s].filter((x) => x !== k.id)));
      },
    });
  };

  const add = async (k: Knowledge, files: File[]) => {
    setRefused([]);
    const r = await addKnowledgeFiles(kc.client.addFiles, k.id, files);
    setRefused(r.refused);
  };

  const run = (what: string, f: (id: string) => Promise<void>) => (id: string) => void f(id).catch(fail(what));
  const docActions: DocActions = {
    cancel: run('Could not cancel', (id) => kc.client.cancelDocument(id)),
    remove: run('Could not remove the document', (id) => kc.client.removeDocument(id)),
    reindex: run('Could not re-index', (id) => kc.client.reindexDocument(id)),
    retry: run('Could not retry', (id) => kc.client.retryDocument(id)),
  };
  const reindexBase = (id: string) => void kc.client.reindexAll([id]).then(() => void refetch(), fail('Could not re-index'));

  const summary = (id: string) => {
    const list = byBase().get(id) ?? [];
    const ready = list.filter((d) => docView(d).status === 'ready').length;
    const busy = list.filter((d) => ['queued', 'indexing'].includes(docView(d).status)).length;
    return `${list.length} ${list.length === 1 ? 'document' : 'documents'}${busy ? ` · ${busy} indexing` : ready < list.length ? ` · ${list.length - ready} failed` : ''}`;
  };

  return (
    <div class="modal-back" onClick={(e) => { if (e.target === e.currentTarget) props.onClose(); }}>
      <div ref={dialog} tabIndex={-1} class="modal kn-panel" role="dialog" aria-modal="true" aria-label="Knowledge" data-testid="knowledge-panel">
        <header class="modal-head">
          <h2>Knowledge</h2>
          <button class="icon-btn" aria-label="Close knowledge" data-testid="knowledge-close" onClick={() => props.onClose()}><Icon name="close" /></button>
        </header>
        <Show when={embedder()?.error}>
          {(err) => (
            <p class="small kn-error kn-note" data-testid="knowledge-embedder-error">
              The embedding model is not available: {isAppError(err()) ? err().message : String(err())}{' '}
              <Show when={props.onOpenSettings}><button type="button" class="btn small" onClick={() => props.onOpenSettings?.()}>Knowledge settings</button></Show>
            </p>
          )}
        </Show>
        <Show
          when={current()}
          fallback={
            <section class="kn-bases">
              <p class="muted small">Collections of your files that answers can draw on and cite. Everything stays in this browser.</p>
              <Show when={creating()} fallback={<button type="button" class="btn primary" data-testid="knowledge-create" onClick={() => setCreating(true)}><Icon name="plus" /> New knowledge base</button>}>
                <KnowledgeForm submitLabel="Create" onSubmit={(v) => void create(v)} onCancel={() => setCreating(false)} />
              </Show>
              <ul class="kn-list" aria-label="Knowledge bases">
                <For each={shown()}>
                  {(k) => (
                    <li class="kn-item" data-testid="knowledge-item" data-knowledge-id={k.id}>
                      <button type="button" class="kn-open" onClick={() => { setRefused([]); setSelected(k.id); }}>
                        <span class="kn-name">{k.name}</span>
                        <span class="muted small">{summary(k.id)}</span>
                        <Show when={k.description}><span class="muted small kn-desc">{k.description}</span></Show>
                      </button>
                    </li>
                  )}
                </For>
              </ul>
              <Show when={shown().length === 0 && !creating()}><p class="muted small">No knowledge bases yet.</p></Show>
            </section>
          }
        >
          {(k) => (
            <>
              <Show when={stale(k().id)}>
                <p class="small kn-warn kn-note" data-testid="knowledge-stale">
                  This base was indexed with another embedding model; it cannot be searched until it is re-indexed.{' '}
                  <button type="button" class="btn small" onClick={() => reindexBase(k().id)}>Re-index</button>
                </p>
              </Show>
              <KnowledgeBaseView
                base={k()}
                docs={byBase().get(k().id) ?? []}
                refused={refused()}
                onAdd={(files) => void add(k(), files)}
                onRename={(v) => void kc.client.updateKnowledge(k().id, v).catch(fail('Could not rename'))}
                onDelete={() => remove(k())}
                onBack={() => setSelected(null)}
                docActions={docActions}
              />
            </>
          )}
        </Show>
      </div>
    </div>
  );
}
