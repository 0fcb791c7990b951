import { createSignal, onMount, Show } from 'solid-js';
import type { ParleyDb } from '../core/storage/db';
import type { EngineClient } from './engine-client';
import { AppContext, type AppServices } from './app-context';
import { createToasts } from './stores/toasts';
import { createStreams } from './stores/streams';
import { createModels, type ModelRef } from './stores/models';
import { createRoute } from './stores/route';
import { Sidebar } from './components/Sidebar';
import { ChatView } from './components/ChatView';
import { SettingsPanel } from './components/SettingsPanel';
import { Toasts } from './components/Toasts';
import { UpdatePrompt } from './components/UpdatePrompt';
import { toAppError } from '../core/errors';

const DEFAULT_MODEL_KEY = 'defaultModel';

export function App(props: { db: ParleyDb; engine: EngineClient }) {
  const [toasts, toast] = createToasts();
  const streams = createStreams(props.engine, (e) => toast.show('error', e.message));
  const models = createModels(props.engine);
  const [chatId, route] = createRoute();
  const [defaultModel, setDefault] = createSignal<ModelRef | null>(null);
  const [settingsOpen, setSettingsOpen] = createSignal(false);
  const [sidebarOpen, setSidebarOpen] = createSignal(false);

  const services: AppServices = {
    db: props.db,
    engine: props.engine,
    toast,
    streams,
    models,
    route: { chatId, open: (id) => { route.open(id); setSidebarOpen(false); } },
    defaultModel,
    setDefaultModel(m) {
      setDefault(m);
      props.db.settings.put({ key: DEFAULT_MODEL_KEY, value: m }).catch((e) => toast.show('error', toAppError(e, 'storage').message));
    },
    settings: { open: settingsOpen, setOpen: (v) => { setSettingsOpen(v); if (v) setSidebarOpen(false); } },
  };

  onMount(async () => {
    try {
      const saved = await props.db.settings.get(DEFAULT_MODEL_KEY);
      const v = saved?.value as ModelRef | null | undefined;
      if (v && typeof v.id === 'string' && typeof v.connectionId === 'string') setDefault({ id: v.id, connectionId: v.connectionId });
      await props.engine.recoverInterrupted();
    } catch (e) {
      toast.show('error', `Could not open the local database: ${toAppError(e, 'storage').message}`);
    }
    void models[1].refresh();
  });

  return (
    <AppContext.Provider value={services}>
      <div class="app" classList={{ 'sidebar-open': sidebarOpen() }}>
        <Sidebar onClose={() => setSidebarOpen(false)} />
        <div class="scrim" onClick={() => setSidebarOpen(false)} />
        <main class="main">
          <ChatView onMenu={() => setSidebarOpen(true)} />
        </main>
        <Show when={settingsOpen()}>
          <SettingsPanel onClose={() => setSettingsOpen(false)} />
        </Show>
        <Toasts toasts={toasts()} onDismiss={toast.dismiss} />
        <UpdatePrompt />
      </div>
    </AppContext.Provider>
  );
}
