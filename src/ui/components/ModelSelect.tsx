import { createMemo, createSignal, For, onCleanup, Show } from 'solid-js';
import { useApp } from '../app-context';
import type { ModelRef } from '../stores/models';
import type { ModelEntry } from '../../../workers/api';
import { Icon } from './Icon';

/** Most options rendered at once; typing narrows the rest. */
const MAX_SHOWN = 200;

export function ModelSelect(props: { value: ModelRef | null; onChange: (m: ModelRef) => void }) {
  const app = useApp();
  const [models, modelActions] = app.models;
  const [open, setOpen] = createSignal(false);
  const [query, setQuery] = createSignal('');
  const [active, setActive] = createSignal(0);

  const current = () => models.find(props.value);
  const filtered = createMemo((): ModelEntry[] => {
    const q = query().trim().toLowerCase();
    const all = models.list().models;
    const hit = q ? all.filter((m) => `${m.id} ${m.name} ${m.connectionName}`.toLowerCase().includes(q)) : all;
    return hit.slice(0, MAX_SHOWN);
  });

  const choose = (m: ModelEntry) => {
    props.onChange({ id: m.id, connectionId: m.connectionId });
    setOpen(false);
  };
  const toggle = () => {
    setOpen(!open());
    setQuery('');
    setActive(0);
    if (open()) void modelActions.refresh();
  };

  let root!: HTMLDivElement;
  const onDoc = (e: MouseEvent) => {
    if (open() && !root.contains(e.target as Node)) setOpen(false);
  };
  document.addEventListener('mousedown', onDoc);
  onCleanup(() => document.removeEventListener('mousedown', onDoc));

  return (
    <div class="model-select" ref={root}>
      <button
        class="btn model-btn"
        data-testid="model-select"
        data-model-id={props.value?.id ?? ''}
        aria-haspopup="listbox"
        aria-expanded={open()}
        onClick={toggle}
      >
        {current()?.name ?? props.value?.id ?? 'Choose a model'} <Icon name="chevron" size={14} />
      </button>
      <Show when={open()}>
        <div class="model-pop" role="dialog" aria-label="Models">
          <input
            data-testid="model-search"
            placeholder="Search models"
            aria-label="Search models"
            value={query()}
            ref={(el) => queueMicrotask(() => el.focus())}
            onInput={(e) => { setQuery(e.currentTarget.value); setActive(0); }}
            onKeyDown={(e) => {
              const n = filtered().length;
              if (e.key === 'ArrowDown') { e.preventDefault(); setActive((a) => Math.min(a + 1, n - 1)); }
              else if (e.key === 'ArrowUp') { e.preventDefault(); setActive((a) => Math.max(a - 1, 0)); }
              else if (e.key === 'Enter') { e.preventDefault(); const m = filtered()[active()]; if (m) choose(m); }
              else if (e.key === 'Escape') setOpen(false);
            }}
          />
          <ul role="listbox" class="model-list">
            <For each={filtered()}>
              {(m, i) => (
                <li
                  role="option"
                  data-testid="model-option"
                  data-model-id={m.id}
                  aria-selected={i() === active()}
                  classList={{ active: i() === active() }}
                  onMouseEnter={() => setActive(i())}
                  onClick={() => choose(m)}
                >
                  <span class="model-name">{m.name}</span>
                  <span class="muted small">{m.connectionName}</span>
                </li>
              )}
            </For>
          </ul>
          <Show when={filtered().length === 0}>
            <p class="muted small pad">{models.loading() ? 'Loading models…' : 'No models. Add or check a connection in Settings.'}</p>
          </Show>
          <For each={models.list().statuses.filter((s) => !s.ok)}>
            {(s) => <p class="small warn pad">A connection failed: {s.error?.message}</p>}
          </For>
        </div>
      </Show>
    </div>
  );
}
