import { createEffect, createMemo, createSignal, lazy, Show, Suspense } from 'solid-js';
import type { Message } from '../../core/storage/schema';
import { useApp } from '../app-context';
import { Markdown } from './Markdown';
import { Icon } from './Icon';
import { ReadAloudButton } from './ReadAloudButton';
import { MessageUsage } from './MessageUsage';
import { ReasoningBlock } from './ReasoningBlock';
import type { SiblingPlace } from '../../core/tree/tree';
import type { TreeActions } from '../stores/tree-actions';
import { BranchNav } from './BranchNav';
import { MessageTreeButtons } from './MessageTreeButtons';
import { MessageImages } from './MessageImages';
import { FollowUps } from './FollowUps';
import { LazyContextChips } from '../launch/lazy-context-chips';

/** An answer's sources and the files of a message: loaded only by messages that have them. */
const MessageSources = lazy(() => import('../knowledge/MessageSources').then((m) => ({ default: m.MessageSources })));
const MessageFiles = lazy(() => import('../knowledge/MessageFiles').then((m) => ({ default: m.MessageFiles })));
const ModelLoading = lazy(() => import('./ModelLoading').then((m) => ({ default: m.ModelLoading })));
/** Editing a message in place: loaded when Edit is first pressed. */
const MessageEditor = lazy(() => import('./MessageEditor').then((m) => ({ default: m.MessageEditor })));

const STATUS_NOTE: Partial<Record<Message['status'], string>> = {
  interrupted: 'Interrupted — the page was closed or reloaded while this answer was streaming.',
};

export function MessageView(props: { message: Message; place?: SiblingPlace; actions?: TreeActions }) {
  const app = useApp();
  const [streams, streamActions] = app.streams;
  const m = () => props.message;
  const [editing, setEditing] = createSignal(false);
  /** The source whose passage is shown in context (a citation or the list was clicked). */
  const [openSource, setOpenSource] = createSignal<number | null>(null);
  // While IndexedDB still says `streaming`, this tab's live text (if it runs the stream) is newer.
  const live = createMemo(() => (m().status === 'streaming' ? streams.get(m().id) : undefined));
  // Once IndexedDB holds the final text, this tab's live copy of it is dropped.
  createEffect(() => {
    if (m().status !== 'streaming') streamActions.forget(m().id);
  });
  const content = () => live()?.content() ?? m().content;
  const reasoning = () => live()?.reasoning() ?? m().reasoning;
  const refusal = () => live()?.refusal() ?? m().refusal;
  // This tab's run ends before IndexedDB's status change reaches the live query: render the
  // final text as soon as the run says so.
  const streaming = () => m().status === 'streaming' && (live()?.running() ?? true);

  const copy = async () => {
    const text = refusal() && !content() ? refusal() : content();
    try {
      await navigator.clipboard.writeText(text);
      app.toast.show('info', 'Copied.');
    } catch {
      app.toast.show('error', 'The browser did not allow copying to the clipboard.');
    }
  };

  return (
    <article
      class={`message ${m().role}`}
      data-testid="message"
      data-role={m().role}
      data-status={m().status}
      data-message-id={m().id}
      data-model-id={m().model}
      data-finish-reason={m().finishReason ?? ''}
    >
      <Show when={m().role === 'assistant'}>
        <div class="message-meta">
          <span class="model-name">{m().model}</span>
          <Show when={streaming()}>
            <span class="badge live" aria-live="polite">…</span>
          </Show>
          <Show when={m().finishReason === 'stopped'}>
            <span class="badge">Stopped</span>
          </Show>
          <Show when={m().finishReason === 'length'}>
            <span class="badge">Cut off: token limit reached</span>
          </Show>
          <Show when={m().status === 'interrupted'}>
            <span class="badge warn">Interrupted</span>
          </Show>
        </div>
      </Show>
      <Show when={m().role === 'user'}><MessageImages message={m()} /></Show>
      <Show when={m().context?.length}><Suspense><LazyContextChips items={m().context!} testId="message-context" /></Suspense></Show>
      <Show when={m().files?.length}>
        <Suspense><MessageFiles files={m().files!} /></Suspense>
      </Show>
      <Show when={streaming() && live()?.loading()}>
        {(p) => <Suspense><ModelLoading progress={p()} model={m().model} /></Suspense>}
      </Show>
      <ReasoningBlock reasoning={reasoning()} thinking={streaming() && !content()} metrics={m().metrics} />
      <Show
        when={!(editing() && props.actions)}
        fallback={
          <Suspense>
            <MessageEditor
              message={m()}
              onSave={(text) => (m().role === 'user' ? props.actions!.resend(m(), text) : props.actions!.saveAnswer(m(), text))}
              onCancel={() => setEditing(false)}
            />
          </Suspense>
        }
      >
        <Show when={m().role === 'assistant'} fallback={<div class="user-text" data-testid="message-content">{m().content}</div>}>
          <Markdown text={content()} streaming={streaming()} citations={m().sources?.length ?? 0} onCite={setOpenSource} />
        </Show>
      </Show>
      <Show when={refusal()}>
        <p class="refusal">{refusal()}</p>
      </Show>
      <Show when={STATUS_NOTE[m().status]}>{(note) => <p class="muted small">{note()}</p>}</Show>
      <Show when={m().error}>
        {(err) => (
          <div class="message-error" data-testid="message-error" role="alert">
            <strong>{err().message}</strong>
            <Show when={err().detail && err().kind !== 'internal'}>
              <div class="small">{err().detail}</div>
            </Show>
          </div>
        )}
      </Show>
      <Show when={m().sources?.length || m().sourcesNote}>
        <Suspense><MessageSources sources={m().sources ?? []} note={m().sourcesNote} open={openSource()} onOpen={setOpenSource} /></Suspense>
      </Show>
      <MessageUsage message={m()} />
      <Show when={!streaming()}>
        <div class="message-actions">
          <BranchNav place={props.place} onShow={(id) => void props.actions?.show(id)} />
          <button class="icon-btn" data-testid="message-copy" aria-label="Copy" title="Copy" onClick={() => void copy()}><Icon name="copy" /></button>
          <Show when={m().role === 'assistant'}><ReadAloudButton text={content()} /></Show>
          <Show when={props.actions && !editing()}>
            <MessageTreeButtons message={m()} actions={props.actions!} onEdit={() => setEditing(true)} />
          </Show>
        </div>
      </Show>
      <FollowUps message={m()} />
    </article>
  );
}
