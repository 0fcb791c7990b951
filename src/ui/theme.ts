import type { ParleyDb } from '../core/storage/db';
import { SETTINGS } from '../core/storage/settings-keys';

/** The user's colour theme choice. `system` follows `prefers-color-scheme` (in CSS, no listener). */
export type ThemeChoice = 'light' | 'dark' | 'system';

export const THEME_CHOICES: readonly ThemeChoice[] = ['system', 'light', 'dark'];

/**
 * IndexedDB (SETTINGS.theme) is where the choice lives. It is read asynchronously, which is
 * too late for the first paint: a light-theme user would see a dark flash on every start.
 * So the UI mirrors the choice under this localStorage key and reads it synchronously before
 * rendering. It is a cache for painting only, never read by core, and IndexedDB wins when the
 * two disagree (restoreTheme).
 */
const MIRROR_KEY = 'parley.theme';

/** The browser bar colour of each palette (`--bg` in styles.css). */
const THEME_COLOR = { light: '#ffffff', dark: '#1f2430' } as const;

export function parseTheme(v: unknown): ThemeChoice {
  return v === 'light' || v === 'dark' ? v : 'system';
}

/** The pieces of the page a theme touches; tests pass fakes. */
export interface ThemeTarget {
  root: HTMLElement;
  storage: Pick<Storage, 'getItem' | 'setItem'> | null;
  prefersLight: () => boolean;
}

function browserTarget(): ThemeTarget {
  let storage: Storage | null = null;
  try {
    storage = window.localStorage;
  } catch {
    // Storage disabled (some private modes): the theme still applies, only the first paint may flash.
  }
  return { root: document.documentElement, storage, prefersLight: () => window.matchMedia('(prefers-color-scheme: light)').matches };
}

/** Sets `data-theme` on <html> (styles.css picks the palette from it) and mirrors the choice. */
export function applyTheme(choice: ThemeChoice, t: ThemeTarget = browserTarget()): void {
  t.root.dataset.theme = choice;
  const light = choice === 'light' || (choice === 'system' && t.prefersLight());
  t.root.ownerDocument.querySelector('meta[name="theme-color"]')?.setAttribute('content', light ? THEME_COLOR.light : THEME_COLOR.dark);
  try {
    t.storage?.setItem(MIRROR_KEY, choice);
  } catch {
    // Quota or disabled storage: the mirror is an optimisation, IndexedDB holds the choice.
  }
}

/** Before the first render: applies the mirrored choice (or `system`) synchronously. */
export function applyMirroredTheme(t: ThemeTarget = browserTarget()): ThemeChoice {
  let v: string | null = null;
  try {
    v = t.storage?.getItem(MIRROR_KEY) ?? null;
  } catch {
    v = null;
  }
  const choice = parseTheme(v);
  applyTheme(choice, t);
  return choice;
}

/** The stored choice from IndexedDB (`system` when unset or unreadable). */
export async function loadTheme(db: ParleyDb): Promise<ThemeChoice> {
  const row = await db.settings.get(SETTINGS.theme).catch(() => undefined);
  return parseTheme(row?.value);
}

/** After start-up: IndexedDB's choice wins over the mirror (which may be stale or cleared). */
export async function restoreTheme(db: ParleyDb, t: ThemeTarget = browserTarget()): Promise<void> {
  const choice = await loadTheme(db);
  if (t.root.dataset.theme !== choice) applyTheme(choice, t);
}

/** Applies `choice` at once and stores it; rejects when IndexedDB refuses the write. */
export async function saveTheme(db: ParleyDb, choice: ThemeChoice, t: ThemeTarget = browserTarget()): Promise<void> {
  applyTheme(choice, t);
  await db.settings.put({ key: SETTINGS.theme, value: choice });
}
