// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import { render } from 'solid-js/web';
import { AppContext, type AppServices } from '../app-context';
import { DictationButton, type Recognizer } from './DictationButton';

/** A recognizer the test drives by hand: what the browser would do, called when the test says. */
class FakeRecognizer implements Recognizer {
  lang = '';
  continuous = false;
  interimResults = true;
  onresult: Recognizer['onresult'] = null;
  onerror: Recognizer['onerror'] = null;
  onend: Recognizer['onend'] = null;
  calls: string[] = [];
  start(): void { this.calls.push('start'); }
  stop(): void { this.calls.push('stop'); }
  abort(): void { this.calls.push('abort'); }
  hear(...results: Array<[string, boolean]>): void {
    this.onresult?.({ resultIndex: 0, results: results.map(([t, isFinal]) => Object.assign([{ transcript: t }], { isFinal })) });
  }
}

function mount(recognizer: (() => Recognizer) | null) {
  const toasts: string[] = [];
  const said: string[] = [];
  // Only the toast is used by the button; the rest of the services stay out of this test.
  const services = { toast: { show: (_k: string, m: string) => toasts.push(m), dismiss: () => {} } } as unknown as AppServices;
  // In the document: Solid delegates clicks to it.
  const root = document.body.appendChild(document.createElement('div'));
  const dispose = render(() => (
    <AppContext.Provider value={services}>
      <DictationButton onText={(t) => said.push(t)} recognizer={recognizer} />
    </AppContext.Provider>
  ), root);
  const button = () => root.querySelector<HTMLButtonElement>('[data-testid="composer-dictate"]');
  /** The first press loads the dictation code, then starts: resolves once the button shows it listening. */
  const start = async () => {
    button()!.click();
    await vi.waitFor(() => expect(button()!.getAttribute('aria-pressed')).toBe('true'));
  };
  return { button, start, toasts, said, dispose: () => { dispose(); root.remove(); } };
}

describe('DictationButton', () => {
  it('is absent without a recognizer', () => {
    const m = mount(null);
    expect(m.button()).toBeNull();
    m.dispose();
  });

  it('listens on click, hands over final results only, and stops on the second click', async () => {
    const fake = new FakeRecognizer();
    const m = mount(() => fake);
    await m.start();
    expect(fake.calls).toEqual(['start']);
    expect(fake).toMatchObject({ continuous: true, interimResults: false });
    fake.hear([' hello there ', true], ['maybe', false]);
    expect(m.said).toEqual(['hello there']);
    m.button()!.click();
    expect(fake.calls).toEqual(['start', 'stop']);
    fake.onend?.();
    expect(m.button()!.getAttribute('aria-pressed')).toBe('false');
    m.dispose();
  });

  it.each([
    ['not-allowed', 'allow it for this site'],
    ['no-speech', 'No speech was heard'],
    ['network', 'could not be reached'],
  ])('shows %s as an error toast', async (code, words) => {
    const fake = new FakeRecognizer();
    const m = mount(() => fake);
    await m.start();
    fake.onerror?.({ error: code });
    fake.onend?.();
    expect(m.toasts).toHaveLength(1);
    expect(m.toasts[0]).toContain(words);
    expect(m.button()!.getAttribute('aria-pressed')).toBe('false');
    m.dispose();
  });

  it('says nothing for the abort it causes itself, and aborts when unmounted', async () => {
    const fake = new FakeRecognizer();
    const m = mount(() => fake);
    await m.start();
    fake.onerror?.({ error: 'aborted' });
    expect(m.toasts).toEqual([]);
    m.dispose();
    expect(fake.calls).toEqual(['start', 'abort']);
  });

  it('starts once for presses made while its code loads, and not at all once unmounted', async () => {
    const fake = new FakeRecognizer();
    const m = mount(() => fake);
    m.button()!.click();
    m.button()!.click();
    await vi.waitFor(() => expect(m.button()!.getAttribute('aria-pressed')).toBe('true'));
    await new Promise((r) => setTimeout(r, 0));
    expect(fake.calls).toEqual(['start']);
    m.dispose();

    const late = new FakeRecognizer();
    const n = mount(() => late);
    n.button()!.click();
    n.dispose();
    await import('./dictation-session');
    await new Promise((r) => setTimeout(r, 0));
    expect(late.calls).toEqual([]);
  });
});
