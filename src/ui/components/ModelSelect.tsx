import { createMemo, createSignal, For, onCleanup, Show } from 'solid-js';
import { useApp } from '../app-context';
import { favoriteKey, type ModelRef } from '../stores/models';
import type { ModelEntry } from '../../../workers/api';
import { filterModels, indexModels, isGroupRow, layoutPicker, type GroupRow, type PickerLayout } from '../picker/filter-models';
import { createVirtualWindow } from '../picker/create-virtual-window';
import { Icon } from './Icon';
import type { PickerControls } from '../launch/launch-target';

const CLOSED: PickerLayout = { rows: [], options: [], optionOfRow: [], rowOfOption: [], hidden: 0 };

/** Height of every row of the list in px (styles.css `.model-list li` must match). */
const ROW_HEIGHT = 34;

/**
 * The model picker: type to filter (id, name, connection, `#tag`), tag chips, favourites on
 * top, one group per connection with how fresh its list is, arrow keys and Enter, a refresh
 * button that asks every server again.
 */
export function ModelSelect(props: {
  value: ModelRef | null;
  onChange: (m: ModelRef) => void;
  testId?: string;
  label?: string;
  /** Several models at once: every model asked (the first is `value`). */
  values?: ModelRef[];
  /** Shows a "+" on each option that adds the model to `values` (or takes it out). */
  onAdd?: (m: ModelRef) => void;
  /** Lets a launch from the address open the picker on a search (an unknown `?model=`). */
  controls?: (c: PickerControls) => void;
}) {
  const app = useApp();
  const [models, modelActions] = app.models;
  const [open, setOpen] = createSignal(false);
  const [query, setQuery] = createSignal('');
  const [tags, setTags] = createSignal<ReadonlySet<string>>(new Set());
  const [active, setActive] = createSignal(0);

  const nameOf = (ref: ModelRef) => models.find(ref)?.name ?? ref.id;
  const label = () => {
    const all = props.values ?? (props.value ? [props.value] : []);
    return all.length > 0 ? all.map(nameOf).join(' + ') : 'Choose a model';
  };
  const asked = (m: ModelEntry) => (props.values ?? []).some((v) => v.id === m.id && v.connectionId === m.connectionId);
  const index = createMemo(() => indexModels(models.list().models));
  const allTags = createMemo(() => [...new Set(models.list().models.flatMap((m) => m.tags.map((t) => t.toLowerCase())))].sort());
  const heads = new Map<string, GroupRow>();
  const keepHead = (r: GroupRow) => {
    const k = `${r.group}|${r.label}|${r.note}|${r.warn}`;
    const old = heads.get(k);
    if (old) return old;
    heads.set(k, r);
    return r;
  };
  // Laid out only while open: nothing of it shows when closed, and its group notes format times
  // (the first Intl formatter costs tens of ms, which a chat opening at start-up should not wait for).
  const layout = createMemo((): PickerLayout =>
    open()
      ? layoutPicker(filterModels(index(), query(), tags()), models.favorites(), models.list().statuses, Infinity, keepHead)
      : CLOSED,
  );
  const win = createVirtualWindow(() => layout().rows.length, ROW_HEIGHT);
  const visible = createMemo(() => {
    const { start, end } = win.range();
    return layout().rows.slice(start, end);
  });
  const listed = () => models.list().statuses.filter((s) => s.source !== 'none').length;
  const failed = () => models.list().statuses.filter((s) => s.source === 'none' && s.error);

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
  props.controls?.({ search: (q) => { setOpen(true); setQuery(q); setActive(0); win.reset(); } });
  const star = async (m: ModelEntry) => {
    const err = await modelActions.toggleFavorite(m);
    if (err) app.toast.show('error', `Could not save the favourite: ${err.message}`);
  };
  const toggleTag = (t: string) => {
    const next = new Set(tags());
    if (next.has(t)) next.delete(t);
    else next.add(t);
    setTags(next);
    setActive(0);
    win.reset();
  };

  const move = (to: number) => {
    setActive(to);
    const row = layout().rowOfOption[to];
    if (row !== undefined) win.reveal(row);
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
        data-testid={props.testId ?? 'model-select'}
        data-model-id={(props.values ?? (props.value ? [props.value] : [])).map((v) => v.id).join(',')}
        aria-haspopup="listbox"
        aria-expanded={open()}
        aria-label={props.label}
        onClick={toggle}
      >
        {label()} <Icon name="chevron" size={14} />
      </button>
      <Show when={open()}>
        <div class="model-pop" role="dialog" aria-label="Models" data-listed={listed()} data-failed={failed().length}>
          <div class="model-search-row">
            <input
              data-testid="model-search"
              placeholder="Search models, #tag"
              aria-label="Search models"
              value={query()}
              ref={(el) => queueMicrotask(() => el.focus())}
              onInput={(e) => { setQuery(e.currentTarget.value); setActive(0); win.reset(); }}
              onKeyDown={(e) => {
                const n = layout().options.length;
                if (e.key === 'ArrowDown') { e.preventDefault(); move(Math.min(active() + 1, n - 1)); }
                else if (e.key === 'ArrowUp') { e.preventDefault(); move(Math.max(active() - 1, 0)); }
                else if (e.key === 'Enter') { e.preventDefault(); const m = layout().options[active()]; if (m) choose(m); }
                else if (e.key === 'Escape') setOpen(false);
              }}
            />
            <button
              class="icon-btn"
              data-testid="model-refresh"
              aria-label="Ask every server for its models again"
              title="Refresh model lists"
              disabled={models.loading()}
              onClick={() => void modelActions.refresh({ force: true })}
            >
              <Icon name="refresh" size={16} />
            </button>
          </div>
          <Show when={allTags().length > 0}>
            <div class="row model-tags">
              <For each={allTags()}>
                {(t) => (
                  <button class="chip small" data-testid="model-tag" data-tag={t} aria-pressed={tags().has(t)} onClick={() => toggleTag(t)}>#{t}</button>
                )}
              </For>
            </div>
          </Show>
          <ul
            role="listbox"
            class="model-list"
            ref={(el) => requestAnimationFrame(() => win.attach(el))}
            onScroll={() => win.onScroll()}
          >
            <li role="presentation" class="model-spacer" style={{ height: `${win.range().start * ROW_HEIGHT}px` }} />
            <For each={visible()}>
              {(r, i) =>
                isGroupRow(r) ? (
                  <li class="model-group" role="presentation" data-testid="model-group" data-warn={String(r.warn)}>
                    <span>{r.label}</span>
                    <Show when={r.note}><span class="small" classList={{ warn: r.warn, muted: !r.warn }}>{r.note}</span></Show>
                  </li>
                ) : (
                  <ModelOption
                    m={r}
                    index={layout().optionOfRow[win.range().start + i()] ?? -1}
                    active={layout().optionOfRow[win.range().start + i()] === active()}
                    favorite={models.favorites().has(favoriteKey(r))}
                    onHover={(i) => setActive(i)}
                    onChoose={choose}
                    onStar={(m) => void star(m)}
                    {...(props.onAdd ? { onAdd: props.onAdd, added: asked(r) } : {})}
                  />
                )
              }
            </For>
            <li role="presentation" class="model-spacer" style={{ height: `${(layout().rows.length - win.range().end) * ROW_HEIGHT}px` }} />
          </ul>
          <Show when={layout().options.length === 0}>
            <p class="muted small pad">
              {models.loading() ? 'Loading models…' : query() || tags().size ? 'No model matches.' : 'No models. Add or check a connection in Settings.'}
            </p>
          </Show>
          <For each={failed()}>
            {(s) => <p class="small warn pad" data-testid="model-connection-error">{s.connectionName}: {s.error?.message}</p>}
          </For>
        </div>
      </Show>
    </div>
  );
}

function ModelOption(props: {
  m: ModelEntry;
  index: number;
  active: boolean;
  favorite: boolean;
  onHover: (i: number) => void;
  onChoose: (m: ModelEntry) => void;
  onStar: (m: ModelEntry) => void;
  onAdd?: (m: ModelEntry) => void;
  added?: boolean;
}) {
  return (
    <li
      role="option"
      data-testid="model-option"
      data-model-id={props.m.id}
      data-connection-id={props.m.connectionId}
      data-index={props.index}
      aria-selected={props.active}
      classList={{ active: props.active }}
      onMouseEnter={() => props.onHover(props.index)}
      onClick={() => props.onChoose(props.m)}
    >
      <span class="model-name" title={props.m.id}>{props.m.name}</span>
      <span class="model-meta">
        <For each={props.m.tags}>{(t) => <span class="chip small">#{t}</span>}</For>
        <Show when={props.onAdd}>
          <button
            class="star"
            data-testid="model-add"
            aria-pressed={props.added ?? false}
            aria-label={props.added ? `Stop asking ${props.m.name}` : `Also ask ${props.m.name}`}
            title={props.added ? 'Stop asking this model' : 'Also ask this model (answers side by side)'}
            onClick={(e) => { e.stopPropagation(); props.onAdd?.(props.m); }}
          >
            <Icon name={props.added ? 'minus' : 'plus'} size={14} />
          </button>
        </Show>
        <button
          class="star"
          data-testid="model-favorite"
          aria-pressed={props.favorite}
          aria-label={props.favorite ? `Unpin ${props.m.name}` : `Pin ${props.m.name} to the top`}
          onClick={(e) => { e.stopPropagation(); props.onStar(props.m); }}
        >
          <Icon name="star" size={14} filled={props.favorite} />
        </button>
      </span>
    </li>
  );
}
