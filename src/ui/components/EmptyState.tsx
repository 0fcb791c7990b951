import { Show } from 'solid-js';
import { useApp } from '../app-context';

/** What a new chat shows: a greeting, or how to get a model when there is none. */
export function EmptyState() {
  const app = useApp();
  const [models] = app.models;
  const none = () => !models.loading() && models.list().models.length === 0;
  return (
    <div class="empty">
      <Show when={none()} fallback={<h1>How can I help?</h1>}>
        <h1>Welcome to Parley</h1>
        <p>Parley talks straight from this browser to the model servers you choose. To start, add one:</p>
        <ul>
          <li><strong>A local Ollama</strong> — run Ollama with <code>OLLAMA_ORIGINS</code> set to this page's origin, then add <code>http://localhost:11434</code>.</li>
          <li><strong>An API key</strong> — OpenAI, OpenRouter, Groq or any OpenAI-compatible server, with its base URL.</li>
          <li><strong>A model in your browser</strong> — coming soon: runs on your GPU, nothing leaves this device.</li>
        </ul>
        <button class="btn primary" onClick={() => app.settings.setOpen(true)}>Open Settings</button>
      </Show>
    </div>
  );
}
