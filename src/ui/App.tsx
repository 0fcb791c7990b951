import { createEffect, createSignal, lazy, on, onCleanup, onMount, Show, Suspense } from 'solid-js';
import type { ParleyDb } from '../core/storage/db';
import type { EngineClient } from './engine-client';
import { AppContext, type AppServices } from './app-context';
import { createToasts } from './stores/toasts';
import { createStreams } from './stores/streams';
import { createModels, type ModelRef } from './stores/models';
import { createRoute } from './stores/route';
import { createTemporary } from './stores/temporary';
import { Sidebar } from './components/Sidebar';
import { ChatView } from './components/ChatView';
import { Toasts } from './components/Toasts';
import { UpdatePrompt } from './components/UpdatePrompt';
import { createShortcuts, REGENERATE_LAST_EVENT } from './shortcuts';
import { toAppError } from '../core/errors';
import { SETTINGS } from '../core/storage/settings-keys';
import type { LaunchTarget } from './launch/launch-target';

/** Settings carry the forms, their validation and import/export: loaded when first opened. */
const SettingsPanel = lazy(() => import('./components/SettingsPanel').then((m) => ({ default: m.SettingsPanel })));
/** Knowledge bases and their documents: loaded when first opened (it starts the knowledge worker). */
const KnowledgePanel = lazy(() => import('./knowledge/KnowledgePanel').then((m) => ({ default: m.KnowledgePanel })));
/** The shortcuts dialog: loaded when first opened. */
const ShortcutsHelp = lazy(() => import('./components/ShortcutsHelp').then((m) => ({ default: m.ShortcutsHelp })));

export function App(props: { db: ParleyDb; engine: EngineClient }) {
  const [toasts, toast] = createToasts();
  const streams = createStreams(props.engine, (e) => toast.show('error', e.message));
  const models = createModels(props.engine, props.db);
  const [chatId, route] = createRoute();
  const temporary = createTemporary(props.db, (e) => toast.show('error', `Could not start a temporary chat: ${e.message}`));
  // Open WebUI's `?temporary-chat=true` starts in temporary mode (the launcher then drops it from the address).
  if (!chatId() && new URLSearchParams(location.search).get('temporary-chat') === 'true') temporary.set(true);
  // Going to any stored chat (the sidebar, New chat, Back) leaves a temporary chat, and it is gone.
  createEffect(on(chatId, () => temporary.set(false), { defer: true }));
  const [defaultModel, setDefault] = createSignal<ModelRef | null>(null);
  const [settingsOpen, setSettingsOpen] = createSignal(false);
  const [knowledgeOpen, setKnowledgeOpen] = createSignal(false);
  // Bases deleted in the panel but still within their Undo time: hidden across closing and reopening it.
  const [knowledgeHidden, setKnowledgeHidden] = createSignal<ReadonlySet<string>>(new Set());
  const [sidebarOpen, setSidebarOpen] = createSignal(false);
  // Wide layouts show the sidebar as a column; Ctrl+Shift+S hides it (narrow ones use the drawer).
  const [sidebarHidden, setSidebarHidden] = createSignal(false);
  const [helpOpen, setHelpOpen] = createSignal(false);
  // The chat view a URL's parameters apply to, and whether the saved default model is known yet.
  const [launchTarget, setLaunchTarget] = createSignal<LaunchTarget | null>(null);
  const [started, setStarted] = createSignal(false);
  const onLaunchTarget = (t: LaunchTarget, on: boolean) => setLaunchTarget((cur) => (on ? t : cur === t ? null : cur));
  const narrow = () => window.matchMedia('(max-width: 720px)').matches;
  const showSidebar = (show: boolean) => (narrow() ? setSidebarOpen(show) : setSidebarHidden(!show));
  const sidebarShown = () => (narrow() ? sidebarOpen() : !sidebarHidden());
  const openHelp = () => { setSidebarOpen(false); setHelpOpen(true); };

  const services: AppServices = {
    db: props.db,
    engine: props.engine,
    toast,
    streams,
    models,
    route: { chatId, open: (id) => { temporary.set(false); route.open(id); setSidebarOpen(false); } },
    defaultModel,
    setDefaultModel(m) {
      setDefault(m);
      props.db.settings.put({ key: SETTINGS.defaultModel, value: m }).catch((e) => toast.show('error', toAppError(e, 'storage').message));
    },
    settings: { open: settingsOpen, setOpen: (v) => { setSettingsOpen(v); if (v) setSidebarOpen(false); } },
    knowledge: { open: knowledgeOpen, setOpen: (v) => { setKnowledgeOpen(v); if (v) setSidebarOpen(false); } },
    temporary: { active: temporary.active, set: temporary.set },
  };

  // Shortcuts act on the DOM the chat view renders (composer, stop and copy buttons) instead of
  // reaching into its state; regenerate is an event the chat view listens for.
  const focusComposer = () => document.querySelector<HTMLElement>('[data-testid="composer-input"]')?.focus();
  onCleanup(createShortcuts({
    newChat: () => { services.route.open(null); focusComposer(); },
    focusComposer,
    stop: () => {
      const stop = document.querySelector<HTMLElement>('[data-testid="composer-stop"]');
      // Esc in a dialog belongs to the dialog; with nothing running it keeps its usual meaning.
      if (!stop || document.activeElement?.closest('[role="dialog"]')) return false;
      stop.click();
    },
    regenerateLast: () => { window.dispatchEvent(new CustomEvent(REGENERATE_LAST_EVENT)); },
    copyLastAnswer: () => {
      // The chat's last message is the last slot; far from the screen it is an empty box, and
      // the answer above it on screen is not the last one.
      const slots = document.querySelectorAll('.msg-slot');
      const answers = slots[slots.length - 1]?.querySelectorAll('[data-testid="message"][data-role="assistant"]');
      const copy = answers?.[answers.length - 1]?.querySelector<HTMLElement>('[data-testid="message-copy"]');
      if (!copy) return false;
      copy.click();
    },
    toggleSidebar: () => showSidebar(!sidebarShown()),
    help: () => { if (helpOpen()) setHelpOpen(false); else openHelp(); },
  }));

  // Open WebUI's parameters and the share target's (`?q=…`) on a new chat: their code loads only then.
  if (!chatId() && location.search) {
    import('./launch/run-launch')
      .then((m) => m.runLaunch({ services, target: launchTarget, ready: started }))
      .catch((e) => toast.show('error', `Could not apply the address's parameters: ${toAppError(e).message}`));
  }

  onMount(async () => {
    // A chat opened by its address shows markdown at once: fetch the renderer now, beside the rest.
    if (chatId()) void import('./markdown/stream-renderer').catch(() => undefined);
    // First, so the picker fills while the rest of the start-up runs.
    void models[1].refresh();
    void models[1].loadFavorites();
    try {
      const saved = await props.db.settings.get(SETTINGS.defaultModel);
      const v = saved?.value as ModelRef | null | undefined;
      if (v && typeof v.id === 'string' && typeof v.connectionId === 'string') setDefault({ id: v.id, connectionId: v.connectionId });
      setStarted(true);
      await props.engine.recoverInterrupted();
    } catch (e) {
      toast.show('error', `Could not open the local database: ${toAppError(e, 'storage').message}`);
      setStarted(true);
    }
    // Documents left mid-indexing (a tab closed) continue now, not only once Knowledge is opened.
    void import('./knowledge-client').then((m) => m.resumeUnfinished(props.db)).catch(() => undefined);
    // Files of chats and messages deleted in a tab that closed within their Undo time.
    void import('./stores/orphan-files').then((m) => m.sweepOrphanFiles(props.db));
    // Sync set up on this device: its worker resumes (live if so set). Nothing loads otherwise.
    void props.db.settings
      .get('sync.config')
      .then((row) => row?.value && import('./sync-client').then((m) => m.syncClient().start()))
      .catch(() => undefined);
    // A browser with WebGPU gets the In-browser connection, once (its models run on this GPU).
    void import('./stores/offer-webgpu')
      .then((m) => m.offerInBrowser(props.db, navigator as Navigator & { gpu?: import('../core/webgpu/detect').GpuLike }, Date.now()))
      .then((added) => {
        if (!added) return;
        toast.show('info', 'This browser can run models on its GPU: download one in Settings › In-browser models.');
        void models[1].refresh();
      })
      .catch(() => undefined);
    // In parallel, so a probe that has to time out never delays the models already configured.
    const found = await props.engine.firstStart().catch(() => null);
    if (found) {
      toast.show('info', `Found Ollama on this computer and added it as “${found.name}”.`);
      void models[1].refresh();
    }
  });

  return (
    <AppContext.Provider value={services}>
      <div class="app" classList={{ 'sidebar-open': sidebarOpen(), 'sidebar-hidden': sidebarHidden() }}>
        <Sidebar onClose={() => setSidebarOpen(false)} onShortcuts={openHelp} />
        <div class="scrim" onClick={() => setSidebarOpen(false)} />
        <main class="main">
          {/* A temporary chat is the same view on an in-memory database, engine and address. */}
          <Show when={temporary.services()} keyed fallback={<Show when={!temporary.active()}><ChatView onMenu={() => showSidebar(true)} onLaunchTarget={onLaunchTarget} /></Show>}>
            {(t) => (
              <AppContext.Provider value={{ ...services, ...t }}>
                <ChatView onMenu={() => showSidebar(true)} onLaunchTarget={onLaunchTarget} />
              </AppContext.Provider>
            )}
          </Show>
        </main>
        <Show when={settingsOpen()}>
          <Suspense>
            <SettingsPanel onClose={() => setSettingsOpen(false)} />
          </Suspense>
        </Show>
        <Show when={knowledgeOpen()}>
          <Suspense>
            <KnowledgePanel hidden={knowledgeHidden()} setHidden={setKnowledgeHidden} onClose={() => setKnowledgeOpen(false)} onOpenSettings={() => { setKnowledgeOpen(false); setSettingsOpen(true); }} />
          </Suspense>
        </Show>
        <Show when={helpOpen()}>
          <Suspense>
            <ShortcutsHelp onClose={() => setHelpOpen(false)} />
          </Suspense>
        </Show>
        <Toasts toasts={toasts()} onDismiss={toast.dismiss} />
        <UpdatePrompt />
      </div>
    </AppContext.Provider>
  );
}
