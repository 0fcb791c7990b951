import { describe, expect, it } from 'vitest';
import { commaList, MAX_PROMPT_CHARS, parseLaunchParams, withoutParams } from './parse-launch-params';

describe('parseLaunchParams', () => {
  it('reads nothing from an empty or unrelated query', () => {
    expect(parseLaunchParams('')).toEqual({ prompt: null, submit: false, models: [], temporary: false, loadUrl: null, unsupported: [], problems: [], handled: [] });
    expect(parseLaunchParams('?utm_source=x').handled).toEqual([]);
  });

  it('q submits unless submit is exactly false (Open WebUI)', () => {
    expect(parseLaunchParams('?q=%20Hello%20there%20')).toMatchObject({ prompt: 'Hello there', submit: true, handled: ['q'] });
    expect(parseLaunchParams('?q=hi&submit=false')).toMatchObject({ prompt: 'hi', submit: false, handled: ['q', 'submit'] });
    expect(parseLaunchParams('?q=hi&submit=FALSE').submit).toBe(true);
    expect(parseLaunchParams('?q=hi&submit=true').submit).toBe(true);
    expect(parseLaunchParams('?q=%20%20')).toMatchObject({ prompt: null, submit: false, handled: ['q'] });
  });

  it('caps a long prompt and says so', () => {
    const p = parseLaunchParams(`?q=${'a'.repeat(MAX_PROMPT_CHARS + 5)}`);
    expect(p.prompt).toHaveLength(MAX_PROMPT_CHARS);
    expect(p.problems).toHaveLength(1);
  });

  it('models or model: a trimmed comma list without duplicates, models first', () => {
    expect(parseLaunchParams('?models=a,%20b,,a').models).toEqual(['a', 'b']);
    expect(parseLaunchParams('?model=x').models).toEqual(['x']);
    expect(parseLaunchParams('?models=a&model=x')).toMatchObject({ models: ['a'], handled: ['models', 'model'] });
    const many = parseLaunchParams(`?models=${Array.from({ length: 12 }, (_, i) => `m${i}`).join(',')}`);
    expect(many.models).toHaveLength(8);
    expect(many.problems).toHaveLength(1);
  });

  it('temporary-chat only when exactly true', () => {
    expect(parseLaunchParams('?temporary-chat=true')).toMatchObject({ temporary: true, handled: ['temporary-chat'] });
    expect(parseLaunchParams('?temporary-chat=1').temporary).toBe(false);
  });

  it('load-url takes http and https only', () => {
    expect(parseLaunchParams('?load-url=https://example.org/a%20b').loadUrl).toBe('https://example.org/a%20b');
    expect(parseLaunchParams('?load-url=http://127.0.0.1:9/x').loadUrl).toBe('http://127.0.0.1:9/x');
    for (const bad of ['javascript:alert(1)', 'file:///etc/passwd', 'data:text/html,x', 'not a url']) {
      const p = parseLaunchParams(`?load-url=${encodeURIComponent(bad)}`);
      expect(p.loadUrl).toBeNull();
      expect(p.problems).toHaveLength(1);
      expect(p.handled).toEqual(['load-url']);
    }
  });

  it('names each requested feature Parley lacks once; off values are taken and not named', () => {
    const p = parseLaunchParams('?web-search=true&tools=a,b&tool-ids=c&call=true&youtube=abc&code-interpreter=true&image-generation=true');
    expect(p.unsupported).toEqual(['web search', 'tools', 'voice calls', 'YouTube transcripts', 'code interpreter', 'image generation']);
    expect(p.handled).toHaveLength(7);
    expect(parseLaunchParams('?web-search=false&call=')).toMatchObject({ unsupported: [], handled: ['web-search', 'call'] });
  });

  it('share target: title, text and url joined, a URL already in the text once, never submitted', () => {
    expect(parseLaunchParams('?title=A%20page&text=Look%20https://x.example/p&url=https://x.example/p')).toMatchObject({
      prompt: 'A page\n\nLook https://x.example/p',
      submit: false,
      handled: ['title', 'text', 'url'],
    });
    expect(parseLaunchParams('?url=https://x.example/p').prompt).toBe('https://x.example/p');
    expect(parseLaunchParams('?q=about&url=https://x.example/p')).toMatchObject({ prompt: 'about\n\nhttps://x.example/p', submit: false });
  });
});

describe('commaList and withoutParams', () => {
  it('splits, trims and dedupes', () => {
    expect(commaList(' a ,b,, a,')).toEqual(['a', 'b']);
  });

  it('drops only the handled parameters', () => {
    expect(withoutParams('?q=hi&utm=1&models=a', ['q', 'models'])).toBe('?utm=1');
    expect(withoutParams('?q=hi', ['q'])).toBe('');
  });
});
