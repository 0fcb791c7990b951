import { createSignal, Show } from 'solid-js';
import { useApp } from '../app-context';
import { isAppError, toAppError } from '../../core/errors';

/** What a new chat shows: a greeting, or the three ways to get a model when there is none. */
export function EmptyState() {
  const app = useApp();
  const [models, modelActions] = app.models;
  const [looking, setLooking] = createSignal(false);
  const [result, setResult] = createSignal('');
  const none = () => models.list().models.length === 0;
  const origin = () => location.origin;

  const lookForOllama = async () => {
    setLooking(true);
    setResult('');
    try {
      const r = await app.engine.findLocalOllama();
      if (isAppError(r)) setResult(`${r.message} ${r.detail ?? ''}`);
      else {
        setResult(`Added “${r.name}”.`);
        void modelActions.refresh();
      }
    } catch (e) {
      setResult(toAppError(e).message);
    } finally {
      setLooking(false);
    }
  };

  return (
    // Nothing until the models store knows whether there are models: a greeting swapped for the
    // welcome (or back) would move the page as it loads.
    <Show when={models.known() || !none()}>
      <div class="empty" data-testid="empty-state">
        <Show when={none()} fallback={<h1>How can I help?</h1>}>
          <h1>Welcome to Parley</h1>
          <p>Parley talks straight from this browser to the model servers you choose. Nothing goes through a server of ours. To start, add one:</p>
          <ul>
            <li>
              <strong>Ollama on this computer</strong>: start it with <code>OLLAMA_ORIGINS={origin()}</code> so it allows this page, then{' '}
              <button class="btn small" data-testid="find-ollama" disabled={looking()} onClick={() => void lookForOllama()}>
                {looking() ? 'Looking…' : 'Look for Ollama'}
              </button>
              <Show when={result()}><span class="small" role="status" data-testid="find-ollama-result"> {result()}</span></Show>
            </li>
            <li><strong>An API key</strong>: OpenAI, Azure, OpenRouter, Groq or any OpenAI-compatible server (vLLM, llama.cpp, LM Studio), with its base URL.</li>
            <li><strong>A model in your browser</strong>: runs on your GPU, nothing leaves this device (coming with the in-browser engine).</li>
          </ul>
          <button class="btn primary" onClick={() => app.settings.setOpen(true)}>Open Settings</button>
        </Show>
      </div>
    </Show>
  );
}
