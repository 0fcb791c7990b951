import { createEffect, createRoot, type Accessor } from 'solid-js';
import { parseLaunchParams, withoutParams } from '../../core/launch/parse-launch-params';
import { matchModels } from '../../core/launch/match-models';
import type { AppServices } from '../app-context';
import type { LaunchTarget } from './launch-target';
import { loadPage } from './load-page';
import { PICK_A_MODEL } from '../stores/models';

/** Resolves with the first truthy value `pick` gives, re-checked as the signals it reads change. */
function when<T>(pick: () => T | null | undefined | false): Promise<T> {
  return new Promise((resolve) => {
    createRoot((dispose) => {
      let done = false;
      createEffect(() => {
        if (done) return;
        const v = pick();
        if (!v) return;
        done = true;
        queueMicrotask(dispose);
        resolve(v);
      });
    });
  });
}

export interface LaunchEnv {
  /** The app's own services (the real database, the saved default model). */
  services: AppServices;
  /** The chat view on screen, once it is (see launch-target.ts). */
  target: Accessor<LaunchTarget | null>;
  /** True once the app has read the saved default model and started listing models. */
  ready: Accessor<boolean>;
}

/**
 * Applies the address's parameters to the new chat on screen (Open WebUI's `?q=…&models=…`,
 * the share target's `?title=…&text=…&url=…`): fills the composer, picks the models, attaches
 * a page, sends. Loaded only when the address has a query. Nothing here changes a setting,
 * the saved default model or a connection.
 */
export async function runLaunch(env: LaunchEnv): Promise<void> {
  const app = env.services;
  const p = parseLaunchParams(location.search);
  if (p.handled.length === 0) return;
  // Out of the address before anything is sent, so a reload does not send it again (and the
  // chat's own address, which keeps the query, does not carry it).
  history.replaceState(history.state, '', location.pathname + withoutParams(location.search, p.handled) + location.hash);
  for (const why of p.problems) app.toast.show('error', why);
  if (p.unsupported.length > 0) app.toast.show('info', `Not available in Parley: ${p.unsupported.join(', ')}.`);

  // App has already turned temporary mode on for `temporary-chat=true`: wait for the view
  // that matches the mode (the temporary chat's view has its own database).
  const onNewChat = (t: LaunchTarget) => !t.app.route.chatId() && (t.app.db !== app.db) === app.temporary.active();
  const t = await when(() => {
    const v = env.target();
    return v && onNewChat(v) ? v : null;
  });
  if (p.prompt !== null) t.composer.fill(p.prompt);
  let submit = p.submit;

  // Whether an id is known is decided on the settled list (the cache, then every server).
  await when(() => env.ready() && !app.models[0].loading());
  if (p.models.length > 0) {
    const { found, unknown } = matchModels(p.models, app.models[0].list().models);
    if (found.length > 0) t.setModels(found);
    if (unknown.length === 1 && p.models.length === 1) {
      // One model asked for and not found: the user picks, starting from what was asked.
      app.toast.show('info', `No model “${unknown[0]}” in your connections: pick one.`);
      t.picker.search(unknown[0]!);
      submit = false;
    } else if (unknown.length > 0) {
      app.toast.show('info', `Not in your connections, left out: ${unknown.join(', ')}.`);
    }
  }

  if (p.loadUrl !== null) {
    app.toast.show('info', `Reading ${new URL(p.loadUrl).host}…`);
    const got = await loadPage(p.loadUrl);
    if ('error' in got) app.toast.show('error', got.error);
    else t.composer.attach(got.page);
  }

  if (!submit || !onNewChat(t)) return;
  if (t.models().length === 0) {
    app.toast.show('error', PICK_A_MODEL);
    return;
  }
  await t.composer.submit();
}
