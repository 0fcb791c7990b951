import { onCleanup, onMount, type Accessor } from 'solid-js';
import { useApp, type AppServices } from '../app-context';
import type { ModelRef } from '../stores/models';
import type { MessageContext } from '../../core/storage/schema';

/** What the composer lets a launch do: what the user could type, attach and send. */
export interface ComposerControls {
  fill(text: string): void;
  attach(page: MessageContext): void;
  /** Sends what is in the composer, as the send button would; false when nothing was sent. */
  submit(): Promise<boolean>;
}

/** What the model picker lets a launch do. */
export interface PickerControls {
  /** Opens the picker with `query` in its search field. */
  search(query: string): void;
}

/** One chat view, as the launcher (run-launch.ts, loaded only for a URL with parameters) drives it. */
export interface LaunchTarget {
  /** The view's services: a temporary chat's view has its own database and route. */
  app: AppServices;
  models: Accessor<ModelRef[]>;
  /** The models this chat asks, as the picker's "+" sets them (never the saved default). */
  setModels(models: ModelRef[]): void;
  composer: ComposerControls;
  picker: PickerControls;
}

/**
 * The chat view's side of a launch: collects the composer's and the picker's controls and,
 * once the view is on screen, offers them through `onLaunchTarget` (and takes them back when
 * it leaves). No launch logic here: this file is in every first load.
 */
export function createLaunchTarget(
  props: { onLaunchTarget?: (t: LaunchTarget, on: boolean) => void },
  chat: { models: Accessor<ModelRef[]>; setModels(models: ModelRef[]): void },
) {
  const app = useApp();
  let composer: ComposerControls | undefined;
  let picker: PickerControls | undefined;
  onMount(() => {
    const offer = props.onLaunchTarget;
    if (!offer || !composer || !picker) return;
    const t: LaunchTarget = { app, models: chat.models, setModels: (m) => chat.setModels(m), composer, picker };
    offer(t, true);
    onCleanup(() => offer(t, false));
  });
  return {
    composer: (c: ComposerControls) => { composer = c; },
    picker: (p: PickerControls) => { picker = p; },
  };
}
