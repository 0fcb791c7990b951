import { Show } from 'solid-js';
import type { ChatSummary } from '../../core/library-view/build-rows';
import type { Folder } from '../../core/storage/schema';
import { chatPath } from '../stores/route';
import { Icon } from '../components/Icon';
import { SidebarIcon } from './SidebarIcon';

/** The drag payload of chats dragged from the list: their ids as JSON. */
export const DRAG_TYPE = 'application/x-parley-chats';
/** Indent per folder level, px. */
const INDENT = 14;

/** A field that edits a name in place: Enter or leaving it saves, Escape cancels. */
export function InlineName(props: { value: string; label: string; testId: string; onDone: (value: string | null) => void }) {
  let done = false;
  const finish = (v: string | null) => {
    if (done) return;
    done = true;
    props.onDone(v);
  };
  return (
    <input
      type="text"
      data-testid={props.testId}
      aria-label={props.label}
      value={props.value}
      maxLength={200}
      ref={(el) => queueMicrotask(() => { el.focus(); el.select(); })}
      onKeyDown={(e) => {
        if (e.key === 'Enter') { e.preventDefault(); finish(e.currentTarget.value); }
        if (e.key === 'Escape') { e.preventDefault(); e.stopPropagation(); finish(null); }
      }}
      onBlur={(e) => finish(e.currentTarget.value)}
    />
  );
}

export function ChatRow(props: {
  chat: ChatSummary;
  depth: number;
  top: number;
  active: boolean;
  selected: boolean;
  selecting: boolean;
  renaming: boolean;
  onClick: (e: MouseEvent) => void;
  onCheck: (e: MouseEvent) => void;
  onMenu: (anchor: DOMRect) => void;
  onDelete: () => void;
  /** Double-click on the title, as in Open WebUI. */
  onStartRename: () => void;
  onRenameDone: (title: string | null) => void;
  onDragStart: (e: DragEvent) => void;
}) {
  return (
    <li
      class="lib-row chat-list-item"
      classList={{ active: props.active, selected: props.selected }}
      style={{ transform: `translateY(${props.top}px)`, 'padding-left': `${props.depth * INDENT}px` }}
      data-testid="chat-list-item"
      data-chat-id={props.chat.id}
      data-pinned={String(props.chat.pinned)}
      draggable={!props.renaming}
      onDragStart={(e) => props.onDragStart(e)}
    >
      <Show when={props.selecting}>
        <input type="checkbox" data-testid="chat-select" aria-label={`Select ${props.chat.title}`} checked={props.selected} onClick={(e) => props.onCheck(e)} />
      </Show>
      <Show
        when={props.renaming}
        fallback={
          <a href={chatPath(props.chat.id)} title={props.chat.title} draggable={false} onClick={(e) => props.onClick(e)}
            onDblClick={(e) => { e.preventDefault(); props.onStartRename(); }}>
            {props.chat.title}
          </a>
        }
      >
        <InlineName value={props.chat.title} label="Chat title" testId="chat-rename-input" onDone={(v) => props.onRenameDone(v)} />
      </Show>
      <button class="icon-btn lib-hover" data-testid="chat-menu" aria-label={`More actions for ${props.chat.title}`} aria-haspopup="menu"
        onClick={(e) => props.onMenu(e.currentTarget.getBoundingClientRect())}>
        <SidebarIcon name="more" />
      </button>
      <button class="icon-btn lib-hover" data-testid="chat-delete" aria-label={`Delete ${props.chat.title}`} onClick={() => props.onDelete()}>
        <Icon name="trash" size={14} />
      </button>
    </li>
  );
}

export function FolderRow(props: {
  folder: Folder;
  depth: number;
  /** Chats in the folder; null until every chat is read (the first screen holds only some). */
  count: number | null;
  top: number;
  renaming: boolean;
  dropping: boolean;
  onToggle: () => void;
  onRename: () => void;
  onRenameDone: (name: string | null) => void;
  onMenu: (anchor: DOMRect) => void;
  onDragOver: (e: DragEvent) => void;
  onDragLeave: () => void;
  onDrop: (e: DragEvent) => void;
}) {
  return (
    <li
      class="lib-row lib-folder"
      classList={{ 'lib-drop': props.dropping }}
      style={{ transform: `translateY(${props.top}px)`, 'padding-left': `${props.depth * INDENT}px` }}
      data-testid="folder-item"
      data-folder-id={props.folder.id}
      aria-expanded={props.folder.expanded}
      onDragOver={(e) => props.onDragOver(e)}
      onDragLeave={() => props.onDragLeave()}
      onDrop={(e) => props.onDrop(e)}
    >
      <button class="icon-btn" data-testid="folder-toggle" aria-label={`${props.folder.expanded ? 'Collapse' : 'Expand'} ${props.folder.name}`}
        aria-expanded={props.folder.expanded} onClick={() => props.onToggle()}>
        <span class="lib-chev"><Icon name="chevron" size={14} /></span>
      </button>
      <Show
        when={props.renaming}
        fallback={
          <span class="lib-folder-name" data-testid="folder-name" onClick={() => props.onToggle()} onDblClick={() => props.onRename()}>
            <SidebarIcon name="folder" size={14} /> {props.folder.name}
          </span>
        }
      >
        <InlineName value={props.folder.name} label="Folder name" testId="folder-rename-input" onDone={(v) => props.onRenameDone(v)} />
      </Show>
      <span class="lib-count">{props.count ?? ''}</span>
      <button class="icon-btn lib-hover" data-testid="folder-menu" aria-label={`More actions for folder ${props.folder.name}`} aria-haspopup="menu"
        onClick={(e) => props.onMenu(e.currentTarget.getBoundingClientRect())}>
        <SidebarIcon name="more" />
      </button>
    </li>
  );
}
