import { createSignal, For, onMount, Show } from 'solid-js';
import { useApp } from '../app-context';
import { SETTINGS } from '../../core/storage/settings-keys';
import { toAppError } from '../../core/errors';
import { DEFAULT_TASK_SETTINGS, readTaskSettings, templateOf, type TaskSettings } from '../../core/tasks/task-settings';
import { DEFAULT_TEMPLATES, TASK_KINDS, type TaskKind } from '../../core/tasks/templates';
import { ModelSelect } from './ModelSelect';
import './TasksSection.css';

const LABEL: Record<TaskKind, string> = { title: 'Title', tags: 'Tags', followUps: 'Follow-up questions' };
const TEST_ID: Record<TaskKind, string> = { title: 'title', tags: 'tags', followUps: 'follow-ups' };

/**
 * Settings › Tasks: what runs after an answer (a title, tags, follow-up questions), on which
 * model, with which prompts. Saved at each change; the engine reads it when an answer ends.
 */
export function TasksSection() {
  const app = useApp();
  const [s, setS] = createSignal<TaskSettings>(DEFAULT_TASK_SETTINGS);
  const [drafts, setDrafts] = createSignal<Record<TaskKind, string>>({ ...DEFAULT_TEMPLATES });
  const [note, setNote] = createSignal('');
  const [error, setError] = createSignal('');
  // The engine falls back to the chat's model when the task model's connection is gone or off
  // (workers/task-request.ts); said here. Checked when the setting is read or saved (a plain
  // read, not a resource: a resource would suspend the whole lazily loaded panel).
  const [unusable, setUnusable] = createSignal(false);
  const checkModel = async (m: TaskSettings['model']) => {
    const c = m ? await app.db.connections.get(m.connectionId).catch(() => undefined) : undefined;
    setUnusable(!!m && (!c || !c.enabled));
  };

  onMount(async () => {
    const row = await app.db.settings.get(SETTINGS.tasks).catch(() => undefined);
    const read = readTaskSettings(row?.value);
    setS(read);
    void checkModel(read.model);
    setDrafts({ title: templateOf(read, 'title'), tags: templateOf(read, 'tags'), followUps: templateOf(read, 'followUps') });
  });

  const save = async (next: TaskSettings, done: string) => {
    setError('');
    try {
      await app.db.settings.put({ key: SETTINGS.tasks, value: next });
      setS(next);
      void checkModel(next.model);
      setNote(done);
    } catch (e) {
      setError(`Could not save: ${toAppError(e, 'storage').message}`);
    }
  };

  const toggle = (kind: TaskKind, on: boolean) => void save({ ...s(), enabled: { ...s().enabled, [kind]: on } }, 'Saved.');
  /** Stores only a template that differs from ours, so a later change to the default reaches users who never edited it. */
  const saveTemplate = (kind: TaskKind, text: string) => {
    const templates = { ...s().templates };
    if (text.trim() === '' || text === DEFAULT_TEMPLATES[kind]) delete templates[kind];
    else templates[kind] = text;
    void save({ ...s(), templates }, `${LABEL[kind]} prompt saved.`);
  };
  const reset = (kind: TaskKind) => {
    setDrafts({ ...drafts(), [kind]: DEFAULT_TEMPLATES[kind] });
    saveTemplate(kind, DEFAULT_TEMPLATES[kind]);
  };

  return (
    <section class="tasks-section" data-testid="tasks-section">
      <h3>Tasks</h3>
      <p class="muted small">
        After an answer, a model names the chat, suggests tags and proposes follow-up questions. A small, fast task model keeps this
        work off the chat's model; failures change nothing.
      </p>
      <div class="conn-form">
        <div class="field">
          <span>Task model <span class="muted small">(empty: the model of the chat)</span></span>
          <div class="row">
            <ModelSelect value={s().model} onChange={(m) => void save({ ...s(), model: { id: m.id, connectionId: m.connectionId } }, 'Saved.')} testId="task-model-select" label="Task model" />
            <Show when={s().model}>
              <button class="btn small" data-testid="task-model-clear" onClick={() => void save({ ...s(), model: null }, 'Tasks use the chat’s model.')}>
                Use the chat's model
              </button>
            </Show>
          </div>
          <Show when={unusable()}>
            <span class="muted small" data-testid="task-model-fallback">This model's connection is removed or turned off: tasks use the chat's model.</span>
          </Show>
        </div>
        <div class="task-toggles">
          <For each={TASK_KINDS}>
            {(kind) => (
              <label class="check">
                <input type="checkbox" data-testid={`task-${TEST_ID[kind]}-toggle`} checked={s().enabled[kind]} onChange={(e) => toggle(kind, e.currentTarget.checked)} />
                {LABEL[kind]}
              </label>
            )}
          </For>
        </div>
        <details>
          <summary>Prompts</summary>
          <p class="muted small">
            <code>{'{{MESSAGES:END:6}}'}</code> is the last 6 messages (<code>START:n</code>, <code>{'{{MESSAGES}}'}</code> all), <code>{'{{prompt}}'}</code> the
            last question, <code>{'{{CURRENT_DATE}}'}</code> today. The answer must be JSON as shown in each prompt.
          </p>
          <For each={TASK_KINDS}>
            {(kind) => (
              <div class="task-template">
                <label>
                  {LABEL[kind]}
                  <textarea
                    data-testid={`task-template-${TEST_ID[kind]}`}
                    value={drafts()[kind]}
                    onInput={(e) => { setDrafts({ ...drafts(), [kind]: e.currentTarget.value }); setNote(''); }}
                  />
                </label>
                <div class="row">
                  <button class="btn small" data-testid="task-template-save" data-kind={kind} onClick={() => saveTemplate(kind, drafts()[kind])}>Save</button>
                  <button class="btn small" data-testid="task-template-reset" data-kind={kind} onClick={() => reset(kind)}>Reset to default</button>
                </div>
              </div>
            )}
          </For>
        </details>
        <span class="muted small" role="status">{note()}</span>
        <Show when={error()}><p class="error small" role="alert">{error()}</p></Show>
      </div>
    </section>
  );
}
