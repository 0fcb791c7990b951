import { createSignal } from 'solid-js';

export interface Toast {
  id: number;
  kind: 'error' | 'info';
  message: string;
  /**
   * A button in the notice (e.g. Undo); pressing it runs `run` and dismisses the notice. When the
   * notice leaves by itself without it, `expired` runs (what Undo could restore is let go then).
   */
  action?: { label: string; run: () => void; expired?: () => void };
}

/** How long a notice stays before it leaves by itself. Errors stay longer: they need reading. */
const INFO_MS = 4000;
/** A notice with an action (Undo) stays long enough to change one's mind. */
const ACTION_MS = 10000;
const ERROR_MS = 9000;

export function createToasts() {
  const [toasts, setToasts] = createSignal<Toast[]>([]);
  let next = 1;
  const dismiss = (id: number) => setToasts((t) => t.filter((x) => x.id !== id));
  const show = (kind: Toast['kind'], message: string, action?: Toast['action']) => {
    const id = next++;
    let used = false;
    const act = action && { ...action, run: () => { used = true; action.run(); } };
    setToasts((t) => [...t.slice(-4), { id, kind, message, ...(act ? { action: act } : {}) }]);
    setTimeout(() => {
      dismiss(id);
      if (!used) action?.expired?.();
    }, action ? ACTION_MS : kind === 'error' ? ERROR_MS : INFO_MS);
  };
  return [toasts, { show, dismiss }] as const;
}
export type ToastActions = ReturnType<typeof createToasts>[1];
