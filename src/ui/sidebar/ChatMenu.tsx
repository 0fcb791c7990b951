import { createSignal, For, Match, Show, Switch } from 'solid-js';
import type { ChatSummary } from '../../core/library-view/build-rows';
import type { Folder } from '../../core/storage/schema';
import type { LibraryActions } from './library-actions';
import { PopMenu } from './PopMenu';
import { FolderPicker } from './FolderPicker';
import { SidebarIcon } from './SidebarIcon';
import { Icon } from '../components/Icon';

/**
 * One chat's ⋯ menu: rename, pin, move, tags, download, archive, delete. Moving and tags open
 * in place of the list, so the menu stays one box on a 350 px wide sidebar.
 */
export function ChatMenu(props: {
  chat: ChatSummary;
  anchor: DOMRect;
  folders: readonly Folder[];
  actions: LibraryActions;
  onRename: () => void;
  onClose: () => void;
}) {
  const [view, setView] = createSignal<'main' | 'move' | 'tags'>('main');
  const [tagText, setTagText] = createSignal('');
  const act = (f: () => unknown) => () => { props.onClose(); void f(); };
  const ids = () => [props.chat.id];
  const addTag = async () => {
    const t = tagText();
    if (t.trim() === '') return;
    if (await props.actions.addTag(ids(), t)) setTagText('');
  };

  return (
    <PopMenu anchor={props.anchor} label={`Actions for ${props.chat.title}`} testId="chat-menu-panel" onClose={props.onClose}>
      <Switch>
        <Match when={view() === 'main'}>
          <button role="menuitem" data-testid="chat-rename" onClick={act(props.onRename)}><Icon name="edit" /> Rename</button>
          <button role="menuitem" data-testid="chat-pin" onClick={act(() => props.actions.pin(ids(), !props.chat.pinned))}>
            <SidebarIcon name="pin" /> {props.chat.pinned ? 'Unpin' : 'Pin'}
          </button>
          <button role="menuitem" data-testid="chat-move" onClick={() => setView('move')}><SidebarIcon name="folder" /> Move to…</button>
          <button role="menuitem" data-testid="chat-tags" onClick={() => setView('tags')}><SidebarIcon name="tag" /> Tags…</button>
          <hr />
          <button role="menuitem" data-testid="chat-download-json" onClick={act(() => props.actions.download(props.chat.id, 'json'))}>
            <SidebarIcon name="download" /> Download JSON (Open WebUI)
          </button>
          <button role="menuitem" data-testid="chat-download-md" onClick={act(() => props.actions.download(props.chat.id, 'md'))}>
            <SidebarIcon name="download" /> Download Markdown
          </button>
          <hr />
          <button role="menuitem" data-testid="chat-archive" onClick={act(() => props.actions.archive(ids(), !props.chat.archived))}>
            <SidebarIcon name="archive" /> {props.chat.archived ? 'Unarchive' : 'Archive'}
          </button>
          <button role="menuitem" class="danger" data-testid="chat-menu-delete" onClick={act(() => props.actions.remove(ids()))}>
            <Icon name="trash" /> Delete
          </button>
        </Match>
        <Match when={view() === 'move'}>
          <FolderPicker folders={props.folders} current={props.chat.folderId} onPick={(id) => { props.onClose(); void props.actions.move(ids(), id); }} />
        </Match>
        <Match when={view() === 'tags'}>
          <div class="lib-menu-title">Tags</div>
          <div class="lib-tags">
            <For each={props.chat.tags} fallback={<span class="muted small">No tags yet.</span>}>
              {(t) => (
                <span class="lib-tag" data-testid="chat-tag" data-tag={t}>
                  {t}
                  <button data-testid="tag-remove" aria-label={`Remove tag ${t}`} onClick={() => void props.actions.removeTag(ids(), t)}>×</button>
                </span>
              )}
            </For>
          </div>
          <input
            type="text"
            data-testid="tag-input"
            placeholder="Add a tag, then Enter"
            aria-label="Add a tag"
            maxLength={50}
            value={tagText()}
            onInput={(e) => setTagText(e.currentTarget.value)}
            onKeyDown={(e) => { if (e.key === 'Enter') { e.preventDefault(); void addTag(); } }}
          />
          <Show when={tagText().trim() !== ''}>
            <button role="menuitem" data-testid="tag-add" onClick={() => void addTag()}>Add “{tagText().trim()}”</button>
          </Show>
        </Match>
      </Switch>
    </PopMenu>
  );
}
