import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createToasts } from './toasts';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('notices with an action', () => {
  it('`expired` runs when the notice leaves by itself, not when its action was pressed', () => {
    const [toasts, t] = createToasts();
    const log: string[] = [];
    t.show('info', 'Deleted a.', { label: 'Undo', run: () => log.push('undo a'), expired: () => log.push('expired a') });
    t.show('info', 'Deleted b.', { label: 'Undo', run: () => log.push('undo b'), expired: () => log.push('expired b') });
    // The button in the notice: run, then dismissed (as Toasts.tsx does).
    const b = toasts().find((x) => x.message === 'Deleted b.')!;
    b.action!.run();
    t.dismiss(b.id);
    vi.advanceTimersByTime(9_999);
    expect(log).toEqual(['undo b']);
    vi.advanceTimersByTime(1);
    expect(log).toEqual(['undo b', 'expired a']);
    expect(toasts()).toEqual([]);
  });
});
