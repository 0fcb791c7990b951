import type { Recognizer, RecognizerFactory } from './DictationButton';

/** The recognizer's error codes in the user's terms; `aborted` is ours (unmount) and says nothing. */
export function errorText(code: string): string | null {
  switch (code) {
    case 'aborted':
      return null;
    case 'not-allowed':
    case 'service-not-allowed':
      return 'Dictation needs the microphone: allow it for this site in the browser’s site settings.';
    case 'no-speech':
      return 'No speech was heard. Try again, closer to the microphone.';
    case 'audio-capture':
      return 'No microphone was found.';
    case 'network':
      return 'Dictation failed: this browser sends speech to an online recognition service, and it could not be reached.';
    case 'language-not-supported':
      return 'Dictation does not support this browser’s language.';
    default:
      return `Dictation stopped (${code}).`;
  }
}

export interface DictationHandlers {
  /** The final words of one result event, trimmed; never empty. */
  onText(text: string): void;
  /** Something went wrong, said in the user's terms. */
  onError(message: string): void;
  /** The recognizer stopped: after stop(), an error, or a long silence. */
  onEnd(r: Recognizer): void;
}

/**
 * Starts one dictation (loaded on the microphone's first press: the composer only needs the
 * button to draw). Returns the listening recognizer, or null once `onError` said why it could not start.
 */
export function startDictation(make: RecognizerFactory, h: DictationHandlers): Recognizer | null {
  const r = make();
  r.lang = navigator.language;
  // Keep listening through pauses until the user clicks again (the browser still ends it after a long silence).
  r.continuous = true;
  r.interimResults = false;
  r.onresult = (e) => {
    let said = '';
    for (let i = e.resultIndex; i < e.results.length; i++) {
      const result = e.results[i];
      if (result?.isFinal) said += result[0]?.transcript ?? '';
    }
    if (said.trim() !== '') h.onText(said.trim());
  };
  r.onerror = (e) => {
    const text = errorText(e.error);
    if (text) h.onError(text);
  };
  r.onend = () => h.onEnd(r);
  try {
    r.start();
  } catch (err) {
    h.onError(`Dictation could not start: ${err instanceof Error ? err.message : String(err)}`);
    return null;
  }
  return r;
}
