import { createSignal } from 'solid-js';

export interface Toast {
  id: number;
  kind: 'error' | 'info';
  message: string;
}

/** How long a notice stays before it leaves by itself. Errors stay longer: they need reading. */
const INFO_MS = 4000;
const ERROR_MS = 9000;

export function createToasts() {
  const [toasts, setToasts] = createSignal<Toast[]>([]);
  let next = 1;
  const dismiss = (id: number) => setToasts((t) => t.filter((x) => x.id !== id));
  const show = (kind: Toast['kind'], message: string) => {
    const id = next++;
    setToasts((t) => [...t.slice(-4), { id, kind, message }]);
    setTimeout(() => dismiss(id), kind === 'error' ? ERROR_MS : INFO_MS);
  };
  return [toasts, { show, dismiss }] as const;
}
export type ToastActions = ReturnType<typeof createToasts>[1];
