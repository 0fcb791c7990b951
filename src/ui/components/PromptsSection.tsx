import { createMemo, createSignal, For, Show } from 'solid-js';
import { useApp } from '../app-context';
import { createLiveQuery } from '../live-query';
import { toAppError, isAppError } from '../../core/errors';
import type { Prompt } from '../../core/prompts/schema';
import { COMMAND_MAX } from '../../core/prompts/schema';
import { deletePrompt, savePrompt } from '../../core/prompts/prompts';
import { findBuiltins, findVariables } from '../../core/prompts/fill-variables';

/** Settings section: saved prompts, inserted by typing `/` + their command in the composer. */
export function PromptsSection() {
  const app = useApp();
  const [loadError, setLoadError] = createSignal('');
  const prompts = createLiveQuery<Prompt[]>(
    () => app.db.prompts.orderBy('command').toArray(),
    [],
    (e) => setLoadError(`Could not read the saved prompts: ${toAppError(e, 'storage').message}`),
  );
  /** The prompt being edited, `new` for the add form, null for none: one form at a time. */
  const [editing, setEditing] = createSignal<string | null>(null);

  const remove = async (p: Prompt) => {
    try {
      await deletePrompt(app.db, p.id);
      if (editing() === p.id) setEditing(null);
    } catch (e) {
      app.toast.show('error', `Could not delete /${p.command}: ${toAppError(e, 'storage').message}`);
    }
  };

  return (
    <section class="prompts-section">
      <h3>Prompts</h3>
      <p class="muted small">
        Type <code>/</code> and a command in the message box to insert a saved prompt. <code>{'{{name}}'}</code> asks for a value first;
        <code>{'{{CLIPBOARD}}'}</code>, <code>{'{{CURRENT_DATE}}'}</code>, <code>{'{{CURRENT_TIME}}'}</code> and <code>{'{{USER_LANGUAGE}}'}</code> fill
        themselves.
      </p>
      <Show when={loadError()}>
        <p class="error small" role="alert">{loadError()}</p>
      </Show>
      <ul class="prompt-list">
        <For each={prompts()}>
          {(p) => (
            <li class="prompt-item" data-testid="prompt-item" data-command={p.command}>
              <Show
                when={editing() === p.id}
                fallback={
                  <>
                    <div class="prompt-item-head">
                      <span class="prompt-cmd">/{p.command}</span>
                      <span class="prompt-title">{p.title}</span>
                      <span class="prompt-item-actions">
                        <button class="btn small" data-testid="prompt-edit" onClick={() => setEditing(p.id)}>Edit</button>
                        <button class="btn small" data-testid="prompt-delete" aria-label={`Delete /${p.command}`} onClick={() => void remove(p)}>
                          Delete
                        </button>
                      </span>
                    </div>
                    <p class="prompt-preview muted small">{p.content}</p>
                  </>
                }
              >
                <PromptForm prompt={p} onDone={() => setEditing(null)} />
              </Show>
            </li>
          )}
        </For>
      </ul>
      <Show
        when={editing() === 'new'}
        fallback={<button class="btn" data-testid="prompt-add" onClick={() => setEditing('new')}>+ Add prompt</button>}
      >
        <PromptForm onDone={() => setEditing(null)} />
      </Show>
    </section>
  );
}

/** Adds a prompt, or edits `props.prompt`. Errors from validation are shown above the buttons. */
function PromptForm(props: { prompt?: Prompt; onDone: () => void }) {
  const app = useApp();
  const old = props.prompt;
  const [command, setCommand] = createSignal(old?.command ?? '');
  const [title, setTitle] = createSignal(old?.title ?? '');
  const [content, setContent] = createSignal(old?.content ?? '');
  const [error, setError] = createSignal('');
  const [saving, setSaving] = createSignal(false);
  const variables = createMemo(() => [...findVariables(content()), ...findBuiltins(content())]);

  const save = async (e: Event) => {
    e.preventDefault();
    setError('');
    setSaving(true);
    const r = await savePrompt(app.db, { ...(old ? { id: old.id } : {}), command: command(), title: title(), content: content() }, Date.now()).catch(
      (err: unknown) => toAppError(err, 'storage'),
    );
    setSaving(false);
    if (isAppError(r)) {
      setError(r.message);
      return;
    }
    props.onDone();
  };

  return (
    <form class="prompt-form conn-form" data-testid="prompt-form" onSubmit={save} onInput={() => setError('')}>
      <div class="conn-grid">
        <label>
          Command
          <span class="prompt-command-field">
            <span class="muted" aria-hidden="true">/</span>
            <input
              data-testid="prompt-command"
              value={command()}
              maxLength={COMMAND_MAX + 1}
              placeholder="summarize"
              autocapitalize="off"
              spellcheck={false}
              onInput={(e) => setCommand(e.currentTarget.value)}
            />
          </span>
        </label>
        <label>
          Title <span class="muted small">(optional)</span>
          <input data-testid="prompt-title" value={title()} maxLength={200} placeholder="Summarize a text" onInput={(e) => setTitle(e.currentTarget.value)} />
        </label>
      </div>
      <label>
        Prompt
        <textarea
          data-testid="prompt-content"
          rows={5}
          value={content()}
          placeholder={'Summarize the following in three bullet points about {{topic}}:\n\n{{CLIPBOARD}}'}
          onInput={(e) => setContent(e.currentTarget.value)}
        />
      </label>
      <Show when={variables().length > 0}>
        <p class="muted small" data-testid="prompt-variables-found">Variables: {variables().join(', ')}</p>
      </Show>
      <Show when={error()}>
        <p class="error small" role="alert" data-testid="prompt-error">{error()}</p>
      </Show>
      <div class="row">
        <button class="btn primary" type="submit" data-testid="prompt-save" disabled={saving()}>Save</button>
        <button class="btn" type="button" data-testid="prompt-cancel-edit" onClick={() => props.onDone()}>Cancel</button>
      </div>
    </form>
  );
}
