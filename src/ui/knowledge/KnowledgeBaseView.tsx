import { createSignal, For, Show } from 'solid-js';
import type { DocumentRecord, Knowledge } from '../../core/rag/schema';
import { Icon } from '../components/Icon';
import { KnowledgeDocRow, type DocActions } from './KnowledgeDocRow';
import { KNOWLEDGE_ACCEPT } from './add-files';
import { createFileDrop } from '../components/file-drop';

/**
 * One base: its name and description (editable), the files (picked or dropped), each
 * document with its progress, and the refusals of the last add.
 */
export function KnowledgeBaseView(props: {
  base: Knowledge;
  docs: DocumentRecord[];
  refused: string[];
  onAdd: (files: File[]) => void;
  onRename: (patch: { name: string; description: string }) => void;
  onDelete: () => void;
  onBack: () => void;
  docActions: DocActions;
}) {
  const [editing, setEditing] = createSignal(false);
  let input!: HTMLInputElement;
  const drop = createFileDrop((files) => props.onAdd(files));

  return (
    <section
      class="kn-base"
      classList={{ dragging: drop.dragging() }}
      aria-label={`Knowledge base ${props.base.name}`}
      data-testid="knowledge-base"
      data-knowledge-id={props.base.id}
      {...drop.handlers}
    >
      <Show
        when={editing()}
        fallback={
          <header class="kn-base-head">
            <button type="button" class="icon-btn kn-back" aria-label="All knowledge bases" onClick={() => props.onBack()}>‹</button>
            <div class="kn-base-title">
              <h3>{props.base.name}</h3>
              <Show when={props.base.description}><p class="muted small">{props.base.description}</p></Show>
            </div>
            <button type="button" class="icon-btn" data-testid="knowledge-rename" aria-label="Rename" title="Rename" onClick={() => setEditing(true)}><Icon name="edit" /></button>
            <button type="button" class="icon-btn" data-testid="knowledge-delete" aria-label="Delete knowledge base" title="Delete" onClick={() => props.onDelete()}><Icon name="trash" /></button>
          </header>
        }
      >
        <KnowledgeForm
          name={props.base.name}
          description={props.base.description}
          submitLabel="Save"
          onSubmit={(v) => { props.onRename(v); setEditing(false); }}
          onCancel={() => setEditing(false)}
        />
      </Show>
      <div class="kn-drop">
        <button type="button" class="btn" data-testid="knowledge-add-files" onClick={() => input.click()}><Icon name="plus" /> Add files</button>
        <span class="muted small">or drop them here. Text, Markdown, HTML, PDF, Word (.docx), CSV, JSON, source code; up to 100 MB each.</span>
        <input
          ref={input}
          type="file"
          multiple
          hidden
          accept={KNOWLEDGE_ACCEPT}
          data-testid="knowledge-file-input"
          onChange={(e) => {
            const files = [...(e.currentTarget.files ?? [])];
            // Cleared so picking the same file again fires change again.
            e.currentTarget.value = '';
            if (files.length > 0) props.onAdd(files);
          }}
        />
      </div>
      <Show when={props.refused.length > 0}>
        <ul class="kn-refused" data-testid="knowledge-add-error" role="alert">
          <For each={props.refused}>{(r) => <li class="small">{r}</li>}</For>
        </ul>
      </Show>
      <Show when={props.docs.length > 0} fallback={<p class="muted small">No documents yet.</p>}>
        <ul class="kn-docs" aria-label="Documents">
          <For each={props.docs}>{(d) => <KnowledgeDocRow doc={d} actions={props.docActions} />}</For>
        </ul>
      </Show>
    </section>
  );
}

/** Name and description, for a new base or a rename. The name is required. */
export function KnowledgeForm(props: {
  name?: string;
  description?: string;
  submitLabel: string;
  onSubmit: (v: { name: string; description: string }) => void;
  onCancel: () => void;
}) {
  const [name, setName] = createSignal(props.name ?? '');
  const [description, setDescription] = createSignal(props.description ?? '');
  const [tried, setTried] = createSignal(false);
  const invalid = () => name().trim() === '';
  return (
    <form
      class="kn-form"
      data-testid="knowledge-form"
      onSubmit={(e) => {
        e.preventDefault();
        setTried(true);
        if (!invalid()) props.onSubmit({ name: name().trim(), description: description().trim() });
      }}
      onKeyDown={(e) => { if (e.key === 'Escape') { e.preventDefault(); e.stopPropagation(); props.onCancel(); } }}
    >
      <label>
        <span class="small">Name</span>
        <input data-testid="knowledge-name" value={name()} ref={(el) => queueMicrotask(() => el.focus())} onInput={(e) => setName(e.currentTarget.value)}
          aria-invalid={tried() && invalid()} />
      </label>
      <Show when={tried() && invalid()}><p class="small kn-error">Give the knowledge base a name.</p></Show>
      <label>
        <span class="small">Description <span class="muted">(optional)</span></span>
        <textarea data-testid="knowledge-description" rows={2} value={description()} onInput={(e) => setDescription(e.currentTarget.value)} />
      </label>
      <div class="row">
        <button type="button" class="btn" onClick={() => props.onCancel()}>Cancel</button>
        <button type="submit" class="btn primary" data-testid="knowledge-save">{props.submitLabel}</button>
      </div>
    </form>
  );
}
