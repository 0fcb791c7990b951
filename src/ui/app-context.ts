import { createContext, useContext } from 'solid-js';
import type { ParleyDb } from '../core/storage/db';
import type { EngineClient } from './engine-client';
import type { ToastActions } from './stores/toasts';
import type { Streams } from './stores/streams';
import type { Models, ModelRef } from './stores/models';
import type { Accessor } from 'solid-js';

export interface AppServices {
  db: ParleyDb;
  engine: EngineClient;
  toast: ToastActions;
  streams: Streams;
  models: Models;
  route: { chatId: Accessor<string | null>; open(id: string | null): void };
  /** The model the composer will use for a new chat. */
  defaultModel: Accessor<ModelRef | null>;
  setDefaultModel(m: ModelRef | null): void;
  settings: { open: Accessor<boolean>; setOpen(v: boolean): void };
  /** The knowledge panel (bases and their documents; src/ui/knowledge/KnowledgePanel.tsx). */
  knowledge: { open: Accessor<boolean>; setOpen(v: boolean): void };
  /** Temporary chat mode: the chat view runs in memory, never stored (see stores/temporary.ts). */
  temporary: { active: Accessor<boolean>; set(on: boolean): void };
}

export const AppContext = createContext<AppServices>();

export function useApp(): AppServices {
  const ctx = useContext(AppContext);
  if (!ctx) throw new Error('useApp outside <AppContext.Provider>');
  return ctx;
}
