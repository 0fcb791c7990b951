import { createSignal, For, onMount, Show } from 'solid-js';
import { useApp } from '../app-context';
import { toAppError } from '../../core/errors';
import { loadTheme, parseTheme, saveTheme, THEME_CHOICES, type ThemeChoice } from '../theme';

const LABELS: Record<ThemeChoice, string> = { system: 'System (follow the device)', light: 'Light', dark: 'Dark' };

/** Settings → Appearance: light, dark, or whatever the device prefers. */
export function AppearanceSection() {
  const app = useApp();
  // What is on screen now; IndexedDB's value replaces it as soon as it is read.
  const [theme, setTheme] = createSignal<ThemeChoice>(parseTheme(document.documentElement.dataset.theme));
  const [error, setError] = createSignal('');

  onMount(async () => setTheme(await loadTheme(app.db)));

  const change = async (v: string) => {
    const choice = parseTheme(v);
    setTheme(choice);
    setError('');
    try {
      await saveTheme(app.db, choice);
    } catch (e) {
      setError(`The theme applies now but could not be saved: ${toAppError(e, 'storage').message}`);
    }
  };

  return (
    <section>
      <h3>Appearance</h3>
      <div class="conn-form">
        <label>
          Theme
          <select data-testid="theme-select" value={theme()} onChange={(e) => void change(e.currentTarget.value)}>
            <For each={THEME_CHOICES}>{(c) => <option value={c} selected={theme() === c}>{LABELS[c]}</option>}</For>
          </select>
        </label>
        <Show when={error()}><p class="error small" role="alert">{error()}</p></Show>
      </div>
    </section>
  );
}
