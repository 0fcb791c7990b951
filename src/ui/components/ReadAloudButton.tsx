import { createSignal, onCleanup, Show } from 'solid-js';
import { Icon } from './Icon';

/**
 * Reads an answer aloud with the browser's speech synthesis; pressed again, it stops. The
 * browser speaks one queue per page, so starting here cancels whatever another message was
 * reading, and that message's utterance ends (its `end`/`error` event resets its button).
 * Hidden where the browser has no speech synthesis.
 */
export function ReadAloudButton(props: { text: string }) {
  const synth = typeof window !== 'undefined' && 'speechSynthesis' in window ? window.speechSynthesis : undefined;
  const [speaking, setSpeaking] = createSignal(false);
  let current: SpeechSynthesisUtterance | undefined;

  const done = (u: SpeechSynthesisUtterance) => () => {
    if (current !== u) return;
    current = undefined;
    setSpeaking(false);
  };

  const toggle = async () => {
    if (!synth) return;
    if (current) {
      // cancel() ends `current` through its own end/error event; reset now in case it never comes.
      const u = current;
      synth.cancel();
      done(u)();
      return;
    }
    // Loaded on first use: nothing on screen needs it before.
    const { speakableText } = await import('../read-aloud');
    const text = speakableText(props.text);
    if (!text || current) return;
    synth.cancel();
    const u = new SpeechSynthesisUtterance(text);
    u.onend = done(u);
    u.onerror = done(u);
    current = u;
    setSpeaking(true);
    synth.speak(u);
  };

  // A message that goes away (another chat opened, the answer regenerated) stops talking.
  onCleanup(() => {
    if (current && synth) synth.cancel();
    current = undefined;
  });

  return (
    <Show when={synth}>
      <button
        class="icon-btn"
        data-testid="message-speak"
        aria-pressed={speaking()}
        aria-label={speaking() ? 'Stop reading aloud' : 'Read aloud'}
        title={speaking() ? 'Stop reading aloud' : 'Read aloud'}
        onClick={toggle}
      >
        <Icon name="speaker" />
      </button>
    </Show>
  );
}
