import { createSignal, type Accessor } from 'solid-js';
import type { ParleyDb } from '../../core/storage/db';
import type { EngineClient } from '../engine-client';
import { createStreams, type Streams } from './streams';
import { toAppError, type AppError } from '../../core/errors';

/** What a temporary chat's view runs on instead of the app's database, engine and address. */
export interface TemporaryServices {
  db: ParleyDb;
  engine: EngineClient;
  streams: Streams;
  route: { chatId: Accessor<string | null>; open(id: string | null): void };
}

/**
 * Temporary chat mode (ChatGPT's and Open WebUI's `temporary-chat`): while on, the chat view
 * runs against an in-memory session (see temporary-session.ts, loaded on first use). Turning it
 * off drops the session and everything in it.
 */
export function createTemporary(realDb: ParleyDb, onError: (e: AppError) => void) {
  const [active, setActive] = createSignal(false);
  const [services, setServices] = createSignal<TemporaryServices | null>(null);
  let starting = 0;

  const stop = () => {
    starting++;
    services()?.engine.dispose();
    setServices(null);
    setActive(false);
  };

  const start = () => {
    if (active()) return;
    setActive(true);
    const ticket = ++starting;
    import('../temporary/temporary-session')
      .then((m) => m.startTemporarySession(realDb))
      .then((s) => {
        // Turned off (or on again) while loading: this session is someone else's.
        if (ticket !== starting) return s.engine.dispose();
        const [chatId, setChatId] = createSignal<string | null>(null);
        setServices({ db: s.db, engine: s.engine, streams: createStreams(s.engine, onError), route: { chatId, open: setChatId } });
      })
      .catch((e) => {
        if (ticket !== starting) return;
        setActive(false);
        onError(toAppError(e, 'storage'));
      });
  };

  return { active, services, set: (on: boolean) => (on ? start() : stop()) };
}
export type Temporary = ReturnType<typeof createTemporary>;
