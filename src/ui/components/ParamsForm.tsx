import { createSignal, For, Show } from 'solid-js';
import { Dynamic } from 'solid-js/web';
import {
  PARAM_FIELDS,
  isParamsFormError,
  paramsToText,
  parseParamsForm,
  type ParamField,
  type ParamName,
  type ParamsFormError,
  type ParamsText,
} from '../../core/params';
import type { ChatParams } from '../../core/providers/types';

/** What a field shows when it is empty and no default stands in for it. */
const HINTS: Record<ParamName, string> = {
  temperature: '0–2',
  top_p: '0–1',
  max_tokens: 'e.g. 1024',
  stop: 'One per line; \\n for a newline',
  seed: 'e.g. 42',
  frequency_penalty: '−2–2',
  presence_penalty: '−2–2',
  num_ctx: 'e.g. 8192',
  keep_alive: '5m, 1h or -1',
  top_k: 'e.g. 40',
  min_p: '0–1',
  repeat_penalty: 'e.g. 1.1',
};

/**
 * The text of every params field and the last validation error. The text is kept as typed
 * (a half-typed "0." must not be rewritten); `validate` turns it into params or shows why not.
 */
export function createParamsEditor(initial: ChatParams = {}) {
  const [text, setText] = createSignal<ParamsText>(paramsToText(initial));
  const [error, setError] = createSignal<ParamsFormError | null>(null);
  const actions = {
    set(name: ParamName, value: string) {
      setText((t) => ({ ...t, [name]: value }));
      // Editing the field that was wrong takes its complaint away; others stay until the next save.
      if (error()?.field === name) setError(null);
    },
    load(params: ChatParams) {
      setText(paramsToText(params));
      setError(null);
    },
    /** The params, or null after putting the error on screen. */
    validate(): ChatParams | null {
      const r = parseParamsForm(text());
      setError(isParamsFormError(r) ? r : null);
      return isParamsFormError(r) ? null : r;
    },
  };
  return [{ text, error }, actions] as const;
}
export type ParamsEditor = ReturnType<typeof createParamsEditor>;

const COMMON = PARAM_FIELDS.filter((f) => !f.ollamaOnly);
const OLLAMA = PARAM_FIELDS.filter((f) => f.ollamaOnly);

/**
 * The generation parameter fields, the Ollama-only ones in their own group. `placeholders`
 * shows what applies when a field is left empty (the defaults, in a chat's panel).
 */
export function ParamsForm(props: { editor: ParamsEditor; placeholders?: ParamsText; disabled?: boolean }) {
  const field = (f: ParamField) => (
    <ParamInput
      field={f}
      value={props.editor[0].text()[f.name] ?? ''}
      placeholder={props.placeholders?.[f.name] || HINTS[f.name]}
      invalid={props.editor[0].error()?.field === f.name}
      disabled={props.disabled ?? false}
      onInput={(v) => props.editor[1].set(f.name, v)}
    />
  );
  return (
    <div class="params-form">
      <fieldset class="params-group">
        <legend>Generation</legend>
        <div class="params-grid">
          <For each={COMMON}>{field}</For>
        </div>
      </fieldset>
      <fieldset class="params-group">
        <legend>Ollama only</legend>
        <p class="muted small params-note">Sent to Ollama connections only; OpenAI-compatible servers never receive these.</p>
        <div class="params-grid">
          <For each={OLLAMA}>{field}</For>
        </div>
      </fieldset>
      <Show when={props.editor[0].error()}>
        {(e) => (
          <p class="error small" role="alert" data-testid="params-error">
            {e().message}
          </p>
        )}
      </Show>
    </div>
  );
}

function ParamInput(props: {
  field: ParamField;
  value: string;
  placeholder: string;
  invalid: boolean;
  disabled: boolean;
  onInput: (v: string) => void;
}) {
  // Plain text inputs, not type=number: the browser would silently drop "abc" or "0,7"
  // instead of letting us say what is wrong with it.
  return (
    <label classList={{ wide: props.field.kind === 'stop' }}>
      {props.field.label}
      {/* Stop sequences are one per line, so they get a textarea; every other field is one line. */}
      <Dynamic
        component={props.field.kind === 'stop' ? 'textarea' : 'input'}
        {...(props.field.kind === 'stop' ? { rows: 2 } : { type: 'text', inputmode: props.field.kind === 'duration' ? 'text' : 'decimal', autocomplete: 'off' })}
        spellcheck={false}
        data-testid={`param-${props.field.name}`}
        value={props.value}
        placeholder={props.placeholder}
        aria-invalid={props.invalid}
        disabled={props.disabled}
        onInput={(e: InputEvent & { currentTarget: HTMLInputElement | HTMLTextAreaElement }) => props.onInput(e.currentTarget.value)}
      />
    </label>
  );
}
