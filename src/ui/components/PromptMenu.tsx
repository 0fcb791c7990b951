import { createEffect, createMemo, createSignal, For, on, onMount, Show } from 'solid-js';
import { useApp } from '../app-context';
import { createLiveQuery } from '../live-query';
import type { Prompt } from '../../core/prompts/schema';
import { matchPrompts, slashQuery } from '../../core/prompts/match-prompts';
import { builtinValues, fillVariables, findBuiltins, findVariables } from '../../core/prompts/fill-variables';

/** What the composer's textarea asks of the menu before handling a key itself. */
export interface PromptMenuControls {
  /** True when the menu used the key (arrows, Enter, Tab, Escape while it is open). */
  onKeyDown(e: KeyboardEvent): boolean;
}

/**
 * The slash menu: while the composer holds `/` and a word, saved prompts whose command or
 * title match. Choosing one fills its `{{variables}}` (a small form if it has any) and hands
 * the text to `onInsert`; nothing is sent. `readClipboard` is the port for `{{CLIPBOARD}}`.
 */
export function PromptMenu(props: {
  text: string;
  onInsert: (text: string) => void;
  /** The variables form was closed without inserting: the composer takes the focus back. */
  onCancel: () => void;
  controls: (c: PromptMenuControls) => void;
  readClipboard?: () => Promise<string>;
}) {
  const app = useApp();
  const query = createMemo(() => slashQuery(props.text));
  const wanted = createMemo(() => query() !== null);
  // Read only while a slash command is being typed; liveQuery keeps it fresh across tabs.
  const prompts = createLiveQuery<Prompt[], boolean>((on) => (on ? app.db.prompts.orderBy('command').toArray() : []), [], undefined, wanted);
  const matches = createMemo(() => {
    const q = query();
    return q === null ? [] : matchPrompts(prompts(), q);
  });
  /** The composer text at which Escape (or an insert) closed the menu: closed until the text changes. */
  const [dismissed, setDismissed] = createSignal<string | null>(null);
  createEffect(on(() => props.text, (t) => { if (t !== dismissed()) setDismissed(null); }));
  const [active, setActive] = createSignal(0);
  const [picked, setPicked] = createSignal<Prompt | null>(null);
  const open = () => query() !== null && props.text !== dismissed() && picked() === null;
  createEffect(on(query, () => setActive(0)));

  const insert = async (p: Prompt, values: Record<string, string>) => {
    let clipboard: string | undefined;
    if (findBuiltins(p.content).includes('CLIPBOARD')) {
      try {
        clipboard = await (props.readClipboard ?? (() => navigator.clipboard.readText()))();
      } catch {
        app.toast.show('error', 'The browser did not let Parley read the clipboard, so {{CLIPBOARD}} was left in the text.');
      }
    }
    const text = fillVariables(p.content, values, builtinValues({ now: new Date(), language: navigator.language, clipboard }));
    setPicked(null);
    // A filled prompt that itself looks like `/word` must not reopen the menu over it.
    setDismissed(text);
    props.onInsert(text);
  };

  const cancel = () => {
    setPicked(null);
    setDismissed(props.text);
    props.onCancel();
  };

  const choose = (p: Prompt) => {
    if (findVariables(p.content).length === 0) void insert(p, {});
    else setPicked(p);
  };

  props.controls({
    onKeyDown(e) {
      // The variables form is open and the user came back to the textarea: Enter would send the
      // bare `/command`, so it waits for the form; Escape closes the form.
      if (picked() && ((e.key === 'Enter' && !e.shiftKey) || e.key === 'Escape')) {
        e.preventDefault();
        if (e.key === 'Escape') cancel();
        return true;
      }
      const list = matches();
      if (!open() || list.length === 0 || e.isComposing) return false;
      const move = (d: number) => setActive((i) => (i + d + list.length) % list.length);
      if (e.key === 'ArrowDown') move(1);
      else if (e.key === 'ArrowUp') move(-1);
      else if ((e.key === 'Enter' && !e.shiftKey) || e.key === 'Tab') choose(list[Math.min(active(), list.length - 1)]!);
      else if (e.key === 'Escape') setDismissed(props.text);
      else return false;
      e.preventDefault();
      return true;
    },
  });

  return (
    <>
      <Show when={open() && matches().length > 0}>
        <ul class="prompt-menu" role="listbox" aria-label="Saved prompts" data-testid="prompt-menu">
          <For each={matches()}>
            {(p, i) => (
              <li
                role="option"
                aria-selected={i() === active()}
                classList={{ active: i() === active() }}
                data-testid="prompt-option"
                data-command={p.command}
                // Keep the focus in the textarea, so typing goes on and Enter still reaches the menu.
                onMouseDown={(e) => e.preventDefault()}
                onMouseEnter={() => setActive(i())}
                onClick={() => choose(p)}
              >
                <span class="prompt-cmd">/{p.command}</span>
                <span class="prompt-title muted">{p.title}</span>
              </li>
            )}
          </For>
        </ul>
      </Show>
      <Show when={open() && query() === '' && prompts().length === 0}>
        <p class="prompt-menu prompt-empty muted small">No saved prompts yet: add them in Settings, under Prompts.</p>
      </Show>
      <Show when={picked()}>
        {(p) => <VariablesForm prompt={p()} onInsert={(values) => void insert(p(), values)} onCancel={cancel} />}
      </Show>
    </>
  );
}

/** One input per variable of the chosen prompt; Enter in the last one inserts. */
function VariablesForm(props: { prompt: Prompt; onInsert: (values: Record<string, string>) => void; onCancel: () => void }) {
  const names = findVariables(props.prompt.content);
  const [values, setValues] = createSignal<Record<string, string>>(Object.fromEntries(names.map((n) => [n, ''])));
  let first: HTMLInputElement | undefined;
  onMount(() => first?.focus());

  return (
    <form
      class="prompt-vars"
      data-testid="prompt-variables"
      aria-label={`Fill in /${props.prompt.command}`}
      onSubmit={(e) => { e.preventDefault(); props.onInsert(values()); }}
      onKeyDown={(e) => { if (e.key === 'Escape') { e.preventDefault(); props.onCancel(); } }}
    >
      <p class="prompt-vars-head">
        <span class="prompt-cmd">/{props.prompt.command}</span> <span class="muted small">{props.prompt.title}</span>
      </p>
      <For each={names}>
        {(name, i) => (
          <label>
            <span class="small">{name}</span>
            <input
              ref={(el) => { if (i() === 0) first = el; }}
              data-testid={`prompt-var-${name}`}
              value={values()[name] ?? ''}
              onInput={(e) => { const v = e.currentTarget.value; setValues((old) => ({ ...old, [name]: v })); }}
            />
          </label>
        )}
      </For>
      <div class="row">
        <button class="btn" type="button" data-testid="prompt-cancel" onClick={() => props.onCancel()}>Cancel</button>
        <button class="btn primary" type="submit" data-testid="prompt-insert">Insert</button>
      </div>
    </form>
  );
}
