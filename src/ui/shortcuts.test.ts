// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { createShortcuts, isApplePlatform, matchShortcut, SHORTCUTS, shortcutKeys, type KeyLike, type ShortcutId } from './shortcuts';

function key(k: string, mods: Partial<Omit<KeyLike, 'key'>> = {}): KeyLike {
  return { key: k, code: '', ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods };
}

describe('matchShortcut on Windows/Linux (Ctrl)', () => {
  const cases: [KeyLike, ShortcutId | null][] = [
    [key('O', { ctrlKey: true, shiftKey: true }), 'newChat'],
    [key('Escape', { shiftKey: true }), 'focusComposer'],
    [key('Escape'), 'stop'],
    [key('R', { ctrlKey: true, shiftKey: true }), 'regenerateLast'],
    [key('C', { ctrlKey: true, shiftKey: true }), 'copyLastAnswer'],
    [key('S', { ctrlKey: true, shiftKey: true }), 'toggleSidebar'],
    [key('/', { ctrlKey: true }), 'help'],
    // Caps Lock or not, the letter matches.
    [key('o', { ctrlKey: true, shiftKey: true }), 'newChat'],
    // German layout: `/` is Shift+7.
    [key('/', { ctrlKey: true, shiftKey: true }), 'help'],
    // Without Shift these are the browser's (Ctrl+O open, Ctrl+R reload, Ctrl+C copy, Ctrl+S save).
    [key('o', { ctrlKey: true }), null],
    [key('r', { ctrlKey: true }), null],
    [key('c', { ctrlKey: true }), null],
    [key('s', { ctrlKey: true }), null],
    // Cmd is not the modifier here, and two modifiers are not one.
    [key('O', { metaKey: true, shiftKey: true }), null],
    [key('O', { ctrlKey: true, metaKey: true, shiftKey: true }), null],
    // Alt changes the meaning (AltGr on many layouts is Ctrl+Alt).
    [key('O', { ctrlKey: true, shiftKey: true, altKey: true }), null],
    [key('Escape', { ctrlKey: true }), null],
    [key('Escape', { altKey: true }), null],
    // Plain letters are typing.
    [key('o'), null],
    [key('O', { shiftKey: true }), null],
    [key('/'), null],
    [key('Enter', { ctrlKey: true, shiftKey: true }), null],
  ];
  it.each(cases)('%o → %s', (e, id) => {
    expect(matchShortcut(e, false)).toBe(id);
  });
});

describe('matchShortcut on macOS (Cmd)', () => {
  it('uses Cmd, not Ctrl', () => {
    expect(matchShortcut(key('O', { metaKey: true, shiftKey: true }), true)).toBe('newChat');
    expect(matchShortcut(key('/', { metaKey: true }), true)).toBe('help');
    expect(matchShortcut(key('O', { ctrlKey: true, shiftKey: true }), true)).toBeNull();
    expect(matchShortcut(key('S', { ctrlKey: true, metaKey: true, shiftKey: true }), true)).toBeNull();
  });
  it('keeps Esc and Shift+Esc without a modifier', () => {
    expect(matchShortcut(key('Escape'), true)).toBe('stop');
    expect(matchShortcut(key('Escape', { shiftKey: true }), true)).toBe('focusComposer');
  });
});

describe('matchShortcut on non-Latin layouts', () => {
  it('matches letters by physical key when `key` is not a Latin letter', () => {
    expect(matchShortcut(key('Щ', { code: 'KeyO', ctrlKey: true, shiftKey: true }), false)).toBe('newChat');
    expect(matchShortcut(key('Ы', { code: 'KeyS', ctrlKey: true, shiftKey: true }), false)).toBe('toggleSidebar');
  });
  it('trusts `key` when it is a Latin letter (Dvorak: the key labelled O sits on KeyS)', () => {
    expect(matchShortcut(key('O', { code: 'KeyS', ctrlKey: true, shiftKey: true }), false)).toBe('newChat');
  });
});

describe('the table', () => {
  it('has one shortcut per id and no two shortcuts on the same keys', () => {
    expect(new Set(SHORTCUTS.map((s) => s.id)).size).toBe(SHORTCUTS.length);
    const combos = SHORTCUTS.map((s) => `${s.mod}|${s.shift}|${s.key}`);
    expect(new Set(combos).size).toBe(SHORTCUTS.length);
  });
  it('every shortcut matches its own keys', () => {
    for (const s of SHORTCUTS) {
      const k = s.key.length === 1 ? s.key.toUpperCase() : s.key;
      expect(matchShortcut(key(k, { ctrlKey: s.mod, shiftKey: s.shift }), false)).toBe(s.id);
      expect(matchShortcut(key(k, { metaKey: s.mod, shiftKey: s.shift }), true)).toBe(s.id);
    }
  });
  it('shows the keys per platform', () => {
    const newChat = SHORTCUTS.find((s) => s.id === 'newChat')!;
    const focus = SHORTCUTS.find((s) => s.id === 'focusComposer')!;
    expect(shortcutKeys(newChat, false)).toEqual(['Ctrl', 'Shift', 'O']);
    expect(shortcutKeys(newChat, true)).toEqual(['⌘', '⇧', 'O']);
    expect(shortcutKeys(focus, false)).toEqual(['Shift', 'Esc']);
  });
  it('detects Apple platforms', () => {
    expect(isApplePlatform({ platform: 'MacIntel', userAgent: '' })).toBe(true);
    expect(isApplePlatform({ platform: '', userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)' })).toBe(true);
    expect(isApplePlatform({ platform: 'Win32', userAgent: 'Mozilla/5.0 (Windows NT 10.0)' })).toBe(false);
    expect(isApplePlatform({ platform: 'Linux x86_64', userAgent: 'Mozilla/5.0 (X11; Linux x86_64)' })).toBe(false);
  });
});

describe('createShortcuts', () => {
  function press(target: EventTarget, init: KeyboardEventInit): KeyboardEvent {
    const e = new KeyboardEvent('keydown', { cancelable: true, ...init });
    target.dispatchEvent(e);
    return e;
  }

  it('runs the handler and prevents the browser default', () => {
    const target = new EventTarget();
    const calls: string[] = [];
    const dispose = createShortcuts({ newChat: () => { calls.push('new'); } }, target, false);
    const e = press(target, { key: 'O', ctrlKey: true, shiftKey: true });
    expect(calls).toEqual(['new']);
    expect(e.defaultPrevented).toBe(true);
    dispose();
    press(target, { key: 'O', ctrlKey: true, shiftKey: true });
    expect(calls).toEqual(['new']);
  });

  it('lets the key through when the handler returns false or there is no handler', () => {
    const target = new EventTarget();
    const dispose = createShortcuts({ stop: () => false }, target, false);
    expect(press(target, { key: 'Escape' }).defaultPrevented).toBe(false);
    expect(press(target, { key: 'S', ctrlKey: true, shiftKey: true }).defaultPrevented).toBe(false);
    dispose();
  });

  it('leaves keys a component already handled alone', () => {
    const calls: string[] = [];
    const dispose = createShortcuts({ stop: () => { calls.push('stop'); } }, document.body, false);
    // A picker nearer the target closes itself on Esc; the event then bubbles to the listener.
    const picker = document.createElement('div');
    document.body.append(picker);
    picker.addEventListener('keydown', (e) => e.preventDefault());
    picker.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', cancelable: true, bubbles: true }));
    document.body.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', cancelable: true, bubbles: true }));
    expect(calls).toEqual(['stop']);
    picker.remove();
    dispose();
  });
});
