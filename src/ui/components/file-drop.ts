import { createSignal, type Accessor } from 'solid-js';

/** Whether a drag carries files (not text or a link dragged from the page). */
const hasFiles = (dt: DataTransfer | null) => !!dt && [...dt.types].includes('Files');

type DragHandler = (e: DragEvent & { currentTarget: HTMLElement }) => void;

/**
 * Dropping files on an element: `dragging` is true while files are over it (for the outline),
 * `handlers` go on the element as a spread. Other drags (text, links) are left to the browser.
 */
export function createFileDrop(onFiles: (files: File[]) => void): {
  dragging: Accessor<boolean>;
  handlers: { onDragOver: DragHandler; onDragLeave: DragHandler; onDrop: DragHandler };
} {
  const [dragging, setDragging] = createSignal(false);
  return {
    dragging,
    handlers: {
      onDragOver(e) {
        if (!hasFiles(e.dataTransfer)) return;
        e.preventDefault();
        setDragging(true);
      },
      onDragLeave(e) {
        // Leaving for a child of the element is not leaving it.
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setDragging(false);
      },
      onDrop(e) {
        setDragging(false);
        if (!hasFiles(e.dataTransfer)) return;
        e.preventDefault();
        onFiles([...(e.dataTransfer?.files ?? [])]);
      },
    },
  };
}
