import { createSignal, onCleanup, Show } from 'solid-js';
import { useApp } from '../app-context';

/** One recognition result: its alternatives, best first, and whether it will still change. */
type RecognitionResult = ArrayLike<{ transcript: string }> & { isFinal: boolean };

/** The part of the Web Speech API's SpeechRecognition that dictation uses; tests pass a fake. */
export interface Recognizer {
  lang: string;
  continuous: boolean;
  interimResults: boolean;
  onresult: ((e: { resultIndex: number; results: ArrayLike<RecognitionResult> }) => void) | null;
  onerror: ((e: { error: string }) => void) | null;
  onend: (() => void) | null;
  start(): void;
  stop(): void;
  abort(): void;
}
export type RecognizerFactory = () => Recognizer;

/** The browser's recognizer (Chrome and Safari prefix it), or null where there is none. */
export function browserRecognizer(): RecognizerFactory | null {
  const w = window as unknown as { SpeechRecognition?: new () => Recognizer; webkitSpeechRecognition?: new () => Recognizer };
  const Ctor = w.SpeechRecognition ?? w.webkitSpeechRecognition;
  return Ctor ? () => new Ctor() : null;
}

/**
 * The composer's microphone: final results are handed to `onText`; clicking again stops.
 * Rendered only where a recognizer exists. `recognizer` defaults to the browser's; null hides it.
 */
export function DictationButton(props: { onText: (text: string) => void; disabled?: boolean; recognizer?: RecognizerFactory | null }) {
  const app = useApp();
  const factory = () => (props.recognizer === undefined ? browserRecognizer() : props.recognizer);
  const [listening, setListening] = createSignal(false);
  let rec: Recognizer | null = null;

  /** A press while the dictation code loads, or after unmount: nothing more to start. */
  let starting = false;
  let gone = false;

  const toggle = () => {
    if (rec) {
      // stop() keeps what was already heard: its final result still arrives, then onend.
      rec.stop();
      return;
    }
    const make = factory();
    if (!make || starting) return;
    starting = true;
    import('./dictation-session')
      .then((m) => {
        if (gone) return;
        rec = m.startDictation(make, {
          onText: (text) => props.onText(text),
          onError: (text) => app.toast.show('error', text),
          onEnd: (r) => {
            if (rec === r) rec = null;
            setListening(false);
          },
        });
        setListening(rec !== null);
      })
      .catch((err: unknown) => app.toast.show('error', `Dictation could not start: ${err instanceof Error ? err.message : String(err)}`))
      .finally(() => (starting = false));
  };

  onCleanup(() => {
    gone = true;
    const r = rec;
    rec = null;
    if (r) {
      r.onresult = r.onerror = r.onend = null;
      r.abort();
    }
  });

  return (
    <Show when={factory()}>
      <button
        class="btn dictate"
        type="button"
        data-testid="composer-dictate"
        aria-pressed={listening()}
        aria-label={listening() ? 'Stop dictation' : 'Dictate'}
        title={listening() ? 'Stop dictation' : 'Dictate'}
        disabled={props.disabled && !listening()}
        onClick={toggle}
      >
        <svg class="icon" width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true">
          <path d="M12 3a3 3 0 0 0-3 3v6a3 3 0 0 0 6 0V6a3 3 0 0 0-3-3zM5 11a7 7 0 0 0 14 0M12 18v3" />
        </svg>
      </button>
    </Show>
  );
}
