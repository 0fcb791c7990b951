import * as z from 'zod/mini';
import { appError, type AppError } from './errors';
import type { ChatParams } from './providers/types';

/**
 * Generation parameters as users set them, per chat or as defaults: their ranges, reading
 * them back from storage, parsing the settings form, and merging defaults with a chat's own.
 */

/** Most stop sequences accepted. OpenAI itself takes 4; Ollama, vLLM and llama.cpp take more. */
export const MAX_STOP = 16;

/**
 * A Go `time.ParseDuration` string, which is what Ollama's `keep_alive` takes ("5m", "1h30m",
 * "90s", "-1m"): one or more number+unit pairs, or a bare "0". A negative duration means forever.
 */
const GO_DURATION = /^[-+]?(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$|^0$/;

const range = (min: number, max: number) => z.number().check(z.gte(min), z.lte(max));

/** One schema per field, so stored data can be read field by field and the form can name the field. */
const FIELD_SCHEMAS = {
  temperature: range(0, 2),
  top_p: range(0, 1),
  max_tokens: z.int().check(z.positive()),
  stop: z.array(z.string().check(z.minLength(1))).check(z.minLength(1), z.maxLength(MAX_STOP)),
  seed: z.int(),
  frequency_penalty: range(-2, 2),
  presence_penalty: range(-2, 2),
  num_ctx: z.int().check(z.positive()),
  top_k: z.int().check(z.gte(0)),
  min_p: range(0, 1),
  repeat_penalty: z.number().check(z.gte(0)),
  // Seconds as a number (Ollama takes fractions); -1 (any negative, to Ollama) keeps the model loaded for good.
  keep_alive: z.union([z.string().check(z.regex(GO_DURATION)), z.number().check(z.gte(-1))]),
} as const;

export type ParamName = keyof typeof FIELD_SCHEMAS;

/** The strict shape, for borders that must reject bad data (import, sync). */
export const chatParamsSchema = z.object({
  temperature: z.optional(FIELD_SCHEMAS.temperature),
  top_p: z.optional(FIELD_SCHEMAS.top_p),
  max_tokens: z.optional(FIELD_SCHEMAS.max_tokens),
  stop: z.optional(FIELD_SCHEMAS.stop),
  seed: z.optional(FIELD_SCHEMAS.seed),
  frequency_penalty: z.optional(FIELD_SCHEMAS.frequency_penalty),
  presence_penalty: z.optional(FIELD_SCHEMAS.presence_penalty),
  num_ctx: z.optional(FIELD_SCHEMAS.num_ctx),
  top_k: z.optional(FIELD_SCHEMAS.top_k),
  min_p: z.optional(FIELD_SCHEMAS.min_p),
  repeat_penalty: z.optional(FIELD_SCHEMAS.repeat_penalty),
  keep_alive: z.optional(FIELD_SCHEMAS.keep_alive),
});

// The schema and the provider type describe the same thing; the checker keeps them in step.
type SchemaParams = z.infer<typeof chatParamsSchema>;
const sameShape: [SchemaParams extends ChatParams ? true : false, ChatParams extends SchemaParams ? true : false] = [true, true];
void sameShape;

/** How each field is typed in the form and described to the user. */
export interface ParamField {
  name: ParamName;
  label: string;
  /** Completes "… must be …" in an error message. */
  expects: string;
  kind: 'number' | 'int' | 'stop' | 'duration';
  /** Only Ollama's native API understands it; OpenAI-compatible requests leave it out. */
  ollamaOnly: boolean;
}

export const PARAM_FIELDS: readonly ParamField[] = [
  { name: 'temperature', label: 'Temperature', expects: 'a number from 0 to 2', kind: 'number', ollamaOnly: false },
  { name: 'top_p', label: 'Top P', expects: 'a number from 0 to 1', kind: 'number', ollamaOnly: false },
  { name: 'max_tokens', label: 'Max tokens', expects: 'a whole number above 0', kind: 'int', ollamaOnly: false },
  { name: 'stop', label: 'Stop sequences', expects: `at most ${MAX_STOP} sequences, one per line`, kind: 'stop', ollamaOnly: false },
  { name: 'seed', label: 'Seed', expects: 'a whole number', kind: 'int', ollamaOnly: false },
  { name: 'frequency_penalty', label: 'Frequency penalty', expects: 'a number from -2 to 2', kind: 'number', ollamaOnly: false },
  { name: 'presence_penalty', label: 'Presence penalty', expects: 'a number from -2 to 2', kind: 'number', ollamaOnly: false },
  { name: 'num_ctx', label: 'Context length', expects: 'a whole number of tokens above 0', kind: 'int', ollamaOnly: true },
  { name: 'keep_alive', label: 'Keep alive', expects: 'a duration like 5m or 1h30m, a number of seconds, or -1 to keep the model loaded', kind: 'duration', ollamaOnly: true },
  { name: 'top_k', label: 'Top K', expects: 'a whole number, 0 or more', kind: 'int', ollamaOnly: true },
  { name: 'min_p', label: 'Min P', expects: 'a number from 0 to 1', kind: 'number', ollamaOnly: true },
  { name: 'repeat_penalty', label: 'Repeat penalty', expects: 'a number, 0 or more', kind: 'number', ollamaOnly: true },
];

/** The raw text of each form field; empty or absent = unset. */
export type ParamsText = Partial<Record<ParamName, string>>;

/** A form error that also says which field is wrong, so the form can mark it. */
export interface ParamsFormError extends AppError {
  field: ParamName;
}

/** One valid field's value into a ChatParams; keeps the per-field typing in one place. */
function assign(out: ChatParams, name: ParamName, value: unknown): void {
  const parsed = FIELD_SCHEMAS[name].safeParse(value);
  if (!parsed.success) return;
  // Each FIELD_SCHEMAS entry yields exactly ChatParams[name]; sameShape above checks that.
  (out as Partial<Record<ParamName, unknown>>)[name] = parsed.data;
}

/**
 * Params from stored data (a chat row, the settings table, an import): lenient, so one bad or
 * unknown field is dropped and the others still apply. Never throws.
 */
export function readParams(value: unknown): ChatParams {
  const out: ChatParams = {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return out;
  const rec = value as Record<string, unknown>;
  for (const f of PARAM_FIELDS) if (rec[f.name] !== undefined) assign(out, f.name, rec[f.name]);
  return out;
}

/** A chat's own set fields win over the defaults, field by field. */
export function mergeParams(defaults: ChatParams, chat: ChatParams): ChatParams {
  const out: ChatParams = { ...defaults };
  for (const f of PARAM_FIELDS) {
    const v = chat[f.name];
    if (v !== undefined) (out as Partial<Record<ParamName, unknown>>)[f.name] = v;
  }
  return out;
}

/** Plain decimals, optionally with an exponent; a single comma is taken as a decimal point. */
const NUMBER_TEXT = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?$/i;

function toNumber(text: string, decimalComma: boolean): number | undefined {
  // "0,7" is 0.7 where a comma is the decimal mark; in a whole-number field "1,000" stays an error.
  const t = decimalComma && /^[^.,]*,[^.,]*$/.test(text) ? text.replace(',', '.') : text;
  return NUMBER_TEXT.test(t) ? Number(t) : undefined;
}

/** Stop sequences are typed one per line; `\n` and `\t` stand for a newline and a tab, `\\` for a backslash. */
export function parseStopText(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.replace(/\r$/, ''))
    .filter((line) => line !== '')
    .map((line) => line.replace(/\\(n|t|\\)/g, (_, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : '\\')));
}

function formatStop(stop: readonly string[]): string {
  return stop.map((s) => s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\t/g, '\\t')).join('\n');
}

/** A field's text into the value to validate; `undefined` for text that is not even the right kind. */
function fromText(field: ParamField, text: string): unknown {
  switch (field.kind) {
    case 'number':
      return toNumber(text, true);
    case 'int':
      return toNumber(text, false);
    case 'stop':
      return parseStopText(text);
    case 'duration':
      // "300" or "-1" is seconds; anything else must be a duration string.
      return toNumber(text, true) ?? text;
  }
}

/**
 * The form's text fields into ChatParams, or an error naming the first bad field in words a
 * user understands. Fields that are empty (or only spaces) are unset.
 */
export function parseParamsForm(text: ParamsText): ChatParams | ParamsFormError {
  const out: ChatParams = {};
  for (const f of PARAM_FIELDS) {
    const raw = text[f.name] ?? '';
    // Stop sequences may begin or end with spaces on purpose; only an all-blank field is unset.
    if (raw.trim() === '') continue;
    const value = fromText(f, f.kind === 'stop' ? raw : raw.trim());
    const parsed = FIELD_SCHEMAS[f.name].safeParse(value);
    if (!parsed.success) {
      const shown = raw.trim().length > 40 ? `${raw.trim().slice(0, 39)}…` : raw.trim();
      return { ...appError('invalid', `${f.label} must be ${f.expects} (you entered “${shown}”).`), field: f.name };
    }
    assign(out, f.name, value);
  }
  return out;
}

export function isParamsFormError(x: ChatParams | ParamsFormError): x is ParamsFormError {
  return 'field' in x && 'kind' in x;
}

/** Stored params back into the form's text, the inverse of parseParamsForm for valid params. */
export function paramsToText(params: ChatParams): ParamsText {
  const out: ParamsText = {};
  for (const f of PARAM_FIELDS) {
    const v = params[f.name];
    if (v === undefined) continue;
    out[f.name] = Array.isArray(v) ? formatStop(v) : String(v);
  }
  return out;
}
