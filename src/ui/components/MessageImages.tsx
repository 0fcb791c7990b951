import { createEffect, createSignal, For, on, onCleanup, Show } from 'solid-js';
import type { Message } from '../../core/storage/schema';
import { attachmentsOf, readImages } from '../../core/storage/message-images';
import { toAppError } from '../../core/errors';
import { useApp } from '../app-context';
import { Icon } from './Icon';

interface Shown {
  id: string;
  name: string;
  /** Object URL of the stored Blob, or null when the blob is gone. */
  url: string | null;
  width?: number;
  height?: number;
}

/**
 * A message's images as thumbnails; a click opens one full size over the page (Escape, a
 * click or the close button shuts it). Object URLs live as long as the message is on screen.
 */
export function MessageImages(props: { message: Message }) {
  const app = useApp();
  const [shown, setShown] = createSignal<Shown[]>([]);
  const [open, setOpen] = createSignal<Shown | null>(null);

  createEffect(
    on(
      () => attachmentsOf(props.message).map((a) => a.id).join(' '),
      (key) => {
        setShown([]);
        if (!key) return;
        const atts = attachmentsOf(props.message);
        let alive = true;
        const urls: string[] = [];
        onCleanup(() => {
          alive = false;
          for (const u of urls) URL.revokeObjectURL(u);
        });
        readImages(app.db, props.message)
          .then((rows) => {
            if (!alive) return;
            const byId = new Map(rows.map((r) => [r.id, r]));
            setShown(
              atts.map((a) => {
                const row = byId.get(a.id);
                const url = row ? URL.createObjectURL(row.blob) : null;
                if (url) urls.push(url);
                return { id: a.id, name: a.name, url, width: a.width, height: a.height };
              }),
            );
          })
          .catch((e: unknown) => app.toast.show('error', `Could not load the images: ${toAppError(e, 'storage').message}`));
      },
    ),
  );

  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape' && open()) {
      e.stopPropagation();
      setOpen(null);
    }
  };
  window.addEventListener('keydown', onKey, true);
  onCleanup(() => window.removeEventListener('keydown', onKey, true));

  return (
    <Show when={shown().length > 0}>
      <div class="message-images">
        <For each={shown()}>
          {(img) => (
            <Show when={img.url} fallback={<span class="message-image missing muted small">{img.name} (missing)</span>}>
              {(url) => (
                <button type="button" class="message-image" data-testid="message-image" data-name={img.name} aria-label={`Open ${img.name}`} onClick={() => setOpen(img)}>
                  <img src={url()} alt={img.name} width={img.width} height={img.height} loading="lazy" />
                </button>
              )}
            </Show>
          )}
        </For>
      </div>
      <Show when={open()}>
        {(img) => (
          <div class="image-overlay" data-testid="image-overlay" role="dialog" aria-label={img().name} onClick={() => setOpen(null)}>
            <img src={img().url ?? ''} alt={img().name} />
            <button type="button" class="icon-btn image-overlay-close" aria-label="Close image" onClick={() => setOpen(null)}>
              <Icon name="close" size={20} />
            </button>
          </div>
        )}
      </Show>
    </Show>
  );
}
