/**
 * `{{variables}}` in saved prompts. Kept apart from prompts.ts (which validates with zod) so
 * the composer's slash menu can fill prompts without pulling zod into the first-load bundle.
 */

/** Filled from the platform when the prompt is inserted, never asked for (Open WebUI's names). */
export const BUILTIN_VARIABLES = ['CLIPBOARD', 'CURRENT_DATE', 'CURRENT_TIME', 'CURRENT_DATETIME', 'CURRENT_WEEKDAY', 'USER_LANGUAGE'] as const;
export type BuiltinVariable = (typeof BUILTIN_VARIABLES)[number];
export type BuiltinValues = Partial<Record<BuiltinVariable, string>>;

/**
 * `{{ name }}`: a letter or _ then letters, digits, _ or -, spaces allowed inside the braces.
 * Anything else between braces (`{{a b}}`, `{{}}`, `{{x | text}}`) is left as text.
 */
const VARIABLE = /\{\{\s*([\p{L}_][\p{L}\p{N}_-]*)\s*\}\}/gu;
const BUILTINS: ReadonlySet<string> = new Set(BUILTIN_VARIABLES);

function isBuiltin(name: string): name is BuiltinVariable {
  return BUILTINS.has(name);
}

function names(content: string): string[] {
  return [...new Set(Array.from(content.matchAll(VARIABLE), (m) => m[1]!))];
}

/** The variables the user fills in, once each, in order of first appearance; built-ins excluded. */
export function findVariables(content: string): string[] {
  return names(content).filter((n) => !isBuiltin(n));
}

/** The built-ins the content uses, so the UI reads the clipboard only when it must. */
export function findBuiltins(content: string): BuiltinVariable[] {
  return names(content).filter(isBuiltin);
}

/**
 * Replaces each variable with `values[name]`, or for a built-in `builtins[name]`, in one pass:
 * a value that itself contains `{{x}}` or `$&` is inserted as typed. A name found in neither
 * stays as written, so a typo in a prompt is visible rather than silently dropped.
 */
export function fillVariables(content: string, values: Readonly<Record<string, string>>, builtins: BuiltinValues): string {
  return content.replace(VARIABLE, (whole, name: string) => {
    const v = isBuiltin(name) ? builtins[name] : Object.hasOwn(values, name) ? values[name] : undefined;
    return v ?? whole;
  });
}

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const pad = (n: number) => String(n).padStart(2, '0');

/**
 * The built-ins from what the UI read: `now` in the user's local time (dates as YYYY-MM-DD,
 * times as HH:MM, so the model reads them the same in every locale), the browser's language,
 * and the clipboard text if the prompt uses it and the browser allowed reading it.
 */
export function builtinValues(input: { now: Date; language: string; clipboard?: string }): BuiltinValues {
  const d = input.now;
  const date = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  return {
    CURRENT_DATE: date,
    CURRENT_TIME: time,
    CURRENT_DATETIME: `${date} ${time}`,
    CURRENT_WEEKDAY: WEEKDAYS[d.getDay()]!,
    USER_LANGUAGE: input.language,
    ...(input.clipboard !== undefined ? { CLIPBOARD: input.clipboard } : {}),
  };
}
