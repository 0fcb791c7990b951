/**
 * Keyboard shortcuts: one table (what the help dialog lists), a pure matcher, and
 * `createShortcuts` that installs one keydown listener for the whole app.
 *
 * The keys follow what Open WebUI and ChatGPT users already know. "Mod" is Ctrl, or Cmd on
 * macOS (and only that one: Ctrl+Cmd+O is not a shortcut).
 */

export type ShortcutId = 'newChat' | 'focusComposer' | 'stop' | 'regenerateLast' | 'toggleSidebar' | 'copyLastAnswer' | 'help';

export interface Shortcut {
  id: ShortcutId;
  /** `KeyboardEvent.key`, lower-case for letters. */
  key: string;
  mod: boolean;
  shift: boolean;
  label: string;
}

export const SHORTCUTS: readonly Shortcut[] = [
  { id: 'newChat', key: 'o', mod: true, shift: true, label: 'New chat' },
  { id: 'focusComposer', key: 'Escape', mod: false, shift: true, label: 'Focus the message box' },
  { id: 'stop', key: 'Escape', mod: false, shift: false, label: 'Stop the answer being written' },
  { id: 'regenerateLast', key: 'r', mod: true, shift: true, label: 'Regenerate the last answer' },
  { id: 'copyLastAnswer', key: 'c', mod: true, shift: true, label: 'Copy the last answer' },
  { id: 'toggleSidebar', key: 's', mod: true, shift: true, label: 'Show or hide the sidebar' },
  { id: 'help', key: '/', mod: true, shift: false, label: 'Show keyboard shortcuts' },
];

/**
 * The window event Ctrl/Cmd+Shift+R dispatches. The chat view that can regenerate listens for
 * it; with no listener (no chat open, or a build without regenerate) nothing happens.
 */
export const REGENERATE_LAST_EVENT = 'parley:regenerate-last';

/** The parts of a KeyboardEvent the matcher reads. */
export type KeyLike = Pick<KeyboardEvent, 'key' | 'code' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>;

/** True on macOS and iOS, where the shortcut modifier is Cmd. */
export function isApplePlatform(nav: { platform?: string; userAgent: string }): boolean {
  return /Mac|iPhone|iPad|iPod/i.test(nav.platform || nav.userAgent);
}

function sameKey(e: KeyLike, key: string): boolean {
  if (key.length === 1 && /[a-z]/.test(key)) {
    if (e.key.toLowerCase() === key) return true;
    // Non-Latin layouts (Cyrillic, Greek…) report another letter in `key`; the physical key
    // is what the user was told to press.
    return !/^[a-z]$/i.test(e.key) && e.code === `Key${key.toUpperCase()}`;
  }
  return e.key === key;
}

/** The shortcut this key press means, or null. */
export function matchShortcut(e: KeyLike, apple: boolean): ShortcutId | null {
  if (e.altKey) return null;
  const mod = apple ? e.metaKey && !e.ctrlKey : e.ctrlKey && !e.metaKey;
  const noMod = !e.ctrlKey && !e.metaKey;
  for (const s of SHORTCUTS) {
    if (s.mod ? !mod : !noMod) continue;
    // `/` needs Shift on some layouts (German Shift+7), so Shift is not checked for it.
    if (s.key !== '/' && s.shift !== e.shiftKey) continue;
    if (sameKey(e, s.key)) return s.id;
  }
  return null;
}

/** The keys to show for a shortcut, e.g. ['Ctrl', 'Shift', 'O'] or ['⌘', '⇧', 'O']. */
export function shortcutKeys(s: Shortcut, apple: boolean): string[] {
  const keys: string[] = [];
  if (s.mod) keys.push(apple ? '⌘' : 'Ctrl');
  if (s.shift) keys.push(apple ? '⇧' : 'Shift');
  keys.push(s.key === 'Escape' ? 'Esc' : s.key.toUpperCase());
  return keys;
}

/**
 * What a shortcut does. Return false to let the key press through (e.g. Esc with nothing to
 * stop keeps its usual meaning); anything else marks it handled (preventDefault).
 */
export type ShortcutHandlers = Partial<Record<ShortcutId, (e: KeyboardEvent) => boolean | void>>;

/** Installs one keydown listener on `target` (the window by default); returns its dispose. */
export function createShortcuts(
  handlers: ShortcutHandlers,
  target: Pick<Window, 'addEventListener' | 'removeEventListener'> = window,
  apple: boolean = isApplePlatform(navigator),
): () => void {
  const onKey = (e: KeyboardEvent) => {
    // A component that already handled the key (a picker closing on Esc, an IME) wins.
    if (e.defaultPrevented || e.isComposing) return;
    const id = matchShortcut(e, apple);
    const run = id ? handlers[id] : undefined;
    if (!run) return;
    if (run(e) !== false) e.preventDefault();
  };
  target.addEventListener('keydown', onKey);
  return () => target.removeEventListener('keydown', onKey);
}
