/**
 * The URL parameters Parley reads on a new chat, as Open WebUI reads them (`?q=…&models=a,b`),
 * plus the Web Share Target's `title`, `text` and `url`. Pure: the launcher (src/ui/launch)
 * applies what this returns. Nothing here can add a connection or change a setting: the
 * result only says what to put in the composer and which models to ask.
 */

/** Longest prompt taken from `q` (or the shared text); longer is cut, never refused. */
export const MAX_PROMPT_CHARS = 32_000;
/** Longest model id looked up; a longer one cannot be an id anyone typed. */
const MAX_MODEL_ID_CHARS = 200;
/** Most models asked at once from a URL (the picker's "+" has no limit, a link should). */
const MAX_MODELS = 8;
/** Longest `load-url` taken. */
const MAX_URL_CHARS = 2_048;

/** Open WebUI features Parley does not have, by parameter, and how a notice names them. */
const UNSUPPORTED: ReadonlyArray<[param: string, name: string, on: 'true' | 'any']> = [
  ['web-search', 'web search', 'true'],
  ['tools', 'tools', 'any'],
  ['tool-ids', 'tools', 'any'],
  ['call', 'voice calls', 'true'],
  ['youtube', 'YouTube transcripts', 'any'],
  ['code-interpreter', 'code interpreter', 'true'],
  ['image-generation', 'image generation', 'true'],
];

const SHARE = ['title', 'text', 'url'] as const;

export interface LaunchParams {
  /** What goes into the composer (`q`, or the shared title/text/url joined); null: nothing. */
  prompt: string | null;
  /** Whether the prompt is sent at once (`q` without `submit=false`; a share never is). */
  submit: boolean;
  /** Model ids asked for, trimmed, without duplicates, in order. */
  models: string[];
  temporary: boolean;
  /** An http(s) page to attach as context. */
  loadUrl: string | null;
  /** Names of the requested features Parley does not have (each once). */
  unsupported: string[];
  /** What was wrong with a parameter, said for a notice. */
  problems: string[];
  /** Every parameter this read (they leave the address bar once applied). */
  handled: string[];
}

/** Open WebUI's comma lists: `a, b,,a` → `['a', 'b']`. */
export function commaList(v: string): string[] {
  return [...new Set(v.split(',').map((s) => s.trim()).filter((s) => s !== ''))];
}

function cap(s: string, max: number): string {
  return s.length > max ? s.slice(0, max) : s;
}

/** The parameters in `search` (`?a=b…` or `a=b…`). Unknown parameters are left alone. */
export function parseLaunchParams(search: string): LaunchParams {
  const p = new URLSearchParams(search);
  const handled: string[] = [];
  const problems: string[] = [];
  const get = (k: string): string | null => {
    const v = p.get(k);
    if (v !== null && !handled.includes(k)) handled.push(k);
    return v;
  };

  const q = get('q');
  const submitParam = get('submit');
  const share = SHARE.map((k) => get(k)?.trim() ?? '').filter((s) => s !== '');
  // A shared URL often comes inside the text as well (Android puts it there): once is enough.
  const shared = share.filter((s, i) => share.indexOf(s) === i && !share.some((o) => o !== s && o.includes(s)));
  const parts = [q?.trim() ?? '', ...shared].filter((s) => s !== '');
  const joined = parts.join('\n\n');
  if (joined.length > MAX_PROMPT_CHARS) problems.push(`The prompt in the address was cut to ${MAX_PROMPT_CHARS.toLocaleString('en')} characters.`);
  const prompt = joined === '' ? null : cap(joined, MAX_PROMPT_CHARS);

  const modelsParam = get('models');
  const modelParam = get('model');
  const wanted = commaList(modelsParam ?? modelParam ?? '').filter((id) => id.length <= MAX_MODEL_ID_CHARS);
  if (wanted.length > MAX_MODELS) problems.push(`Only the first ${MAX_MODELS} models in the address are asked.`);
  const models = wanted.slice(0, MAX_MODELS);

  const temporary = get('temporary-chat') === 'true';

  let loadUrl: string | null = null;
  const rawUrl = get('load-url')?.trim();
  if (rawUrl) {
    const u = rawUrl.length <= MAX_URL_CHARS ? safeUrl(rawUrl) : null;
    if (u) loadUrl = u;
    else problems.push(`Not loaded: “${cap(rawUrl, 80)}” is not an http or https address.`);
  }

  const unsupported: string[] = [];
  for (const [param, name, on] of UNSUPPORTED) {
    const v = get(param);
    if (v === null) continue;
    const requested = on === 'true' ? v === 'true' : v.trim() !== '';
    if (requested && !unsupported.includes(name)) unsupported.push(name);
  }

  return {
    prompt,
    // Open WebUI sends unless `submit` is exactly `false`; shared text waits for the user.
    submit: q !== null && q.trim() !== '' && submitParam !== 'false' && shared.length === 0,
    models,
    temporary,
    loadUrl,
    unsupported,
    problems,
    handled,
  };
}

/** `raw` as an absolute http(s) URL, else null (no `javascript:`, `file:`, `data:`…). */
function safeUrl(raw: string): string | null {
  try {
    const u = new URL(raw);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}

/** `search` without the parameters in `handled`, as `?…` or ''. */
export function withoutParams(search: string, handled: readonly string[]): string {
  const p = new URLSearchParams(search);
  for (const k of handled) p.delete(k);
  const rest = p.toString();
  return rest === '' ? '' : `?${rest}`;
}
