import { createMemo, createSignal, For, Show } from 'solid-js';
import type { WebGpuModels } from './create-webgpu-models';
import { catalogFamilies, EMPTY_FILTER, filterCatalog, type CatalogFilter } from './filter-catalog';
import { ModelRow, type ModelRowActions } from './ModelRow';

/**
 * The model catalog: search by name or family, a family select, and toggles for downloaded
 * models and for those this GPU cannot run (hidden by default). Downloaded models come first.
 */
export function ModelCatalog(props: { models: WebGpuModels }) {
  const state = () => props.models[0];
  const act = () => props.models[1];
  const [filter, setFilter] = createSignal<CatalogFilter>(EMPTY_FILTER);
  const set = <K extends keyof CatalogFilter>(k: K, v: CatalogFilter[K]) => setFilter({ ...filter(), [k]: v });

  const stored = createMemo(() => new Set([...state().cached().keys(), ...state().partial()]));
  const pinned = createMemo(() => {
    const ids = new Set(Object.keys(state().errors()));
    const a = state().active();
    if (a) ids.add(a.modelId);
    return ids;
  });
  const rows = createMemo(() => filterCatalog(state().catalog(), filter(), stored(), pinned()));
  const families = createMemo(() => catalogFamilies(state().catalog()));
  const blocked = createMemo(() => state().catalog().filter((e) => !e.runnable).length);

  const actions: ModelRowActions = {
    download: (id) => void act().download(id),
    cancel: () => void act().cancel(),
    remove: (id) => void act().remove(id),
    redownload: (id) => void act().redownload(id),
    unload: () => void act().unload(),
  };

  return (
    <div class="webgpu-catalog">
      <div class="webgpu-filters">
        <input
          type="search"
          class="webgpu-search"
          data-testid="webgpu-search"
          placeholder="Search models"
          aria-label="Search in-browser models"
          value={filter().query}
          onInput={(e) => set('query', e.currentTarget.value)}
        />
        <select data-testid="webgpu-family" aria-label="Model family" value={filter().family} onChange={(e) => set('family', e.currentTarget.value)}>
          <option value="">All families</option>
          <For each={families()}>{(f) => <option value={f}>{f}</option>}</For>
        </select>
        <label class="check small">
          <input type="checkbox" data-testid="webgpu-downloaded-only" checked={filter().downloadedOnly} onChange={(e) => set('downloadedOnly', e.currentTarget.checked)} />
          Downloaded only
        </label>
        <Show when={blocked() > 0}>
          <label class="check small">
            <input type="checkbox" data-testid="webgpu-show-blocked" checked={filter().showBlocked} onChange={(e) => set('showBlocked', e.currentTarget.checked)} />
            Show models this GPU cannot run ({blocked()})
          </label>
        </Show>
      </div>
      <p class="small muted webgpu-count" data-testid="webgpu-count">
        {rows().length} of {state().catalog().length} models
      </p>
      <ul class="webgpu-models" aria-label="In-browser models">
        <For each={rows()} fallback={<li class="small muted">No model matches.</li>}>
          {(e) => {
            const variant = () => (e.f32Variant ? state().entry(e.f32Variant) : undefined);
            const mine = () => {
              const a = state().active();
              return a && a.modelId === e.modelId ? a : null;
            };
            return (
              <ModelRow
                entry={e}
                cached={state().cached().get(e.modelId)}
                partial={state().partial().has(e.modelId)}
                loaded={state().loaded() === e.modelId}
                active={mine()}
                busy={state().active() !== null || state().deleting() !== null || state().importing()}
                deleting={state().deleting() === e.modelId}
                error={state().errors()[e.modelId]}
                variant={variant()}
                variantCached={!!e.f32Variant && state().cached().has(e.f32Variant)}
                actions={actions}
              />
            );
          }}
        </For>
      </ul>
    </div>
  );
}
