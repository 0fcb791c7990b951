// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { applyMirroredTheme, applyTheme, parseTheme, type ThemeTarget } from './theme';

function target(stored: string | null, prefersLight = false): ThemeTarget & { saved: Map<string, string> } {
  const saved = new Map<string, string>();
  if (stored !== null) saved.set('parley.theme', stored);
  const root = document.createElement('html');
  return {
    root,
    saved,
    storage: { getItem: (k) => saved.get(k) ?? null, setItem: (k, v) => void saved.set(k, v) },
    prefersLight: () => prefersLight,
  };
}

describe('theme', () => {
  it('parses anything unknown as system', () => {
    expect(parseTheme('light')).toBe('light');
    expect(parseTheme('dark')).toBe('dark');
    expect(parseTheme('system')).toBe('system');
    expect(parseTheme('Light')).toBe('system');
    expect(parseTheme(undefined)).toBe('system');
    expect(parseTheme(1)).toBe('system');
  });

  it('sets data-theme and mirrors the choice for the next first paint', () => {
    const t = target(null);
    applyTheme('light', t);
    expect(t.root.dataset.theme).toBe('light');
    expect(t.saved.get('parley.theme')).toBe('light');
  });

  it('applies the mirrored choice before the database is read, system when none or garbage', () => {
    expect(applyMirroredTheme(target('dark'))).toBe('dark');
    const none = target(null);
    expect(applyMirroredTheme(none)).toBe('system');
    expect(none.root.dataset.theme).toBe('system');
    expect(applyMirroredTheme(target('purple'))).toBe('system');
  });

  it('still applies when storage throws (disabled storage)', () => {
    const t = target(null);
    t.storage = { getItem: () => { throw new Error('denied'); }, setItem: () => { throw new Error('denied'); } };
    expect(applyMirroredTheme(t)).toBe('system');
    applyTheme('dark', t);
    expect(t.root.dataset.theme).toBe('dark');
  });
});
