/** What the slash menu needs of a prompt. */
export interface PromptRow {
  command: string;
  title: string;
}

/**
 * The query when the composer holds only `/` and a word (`/sum` → `sum`, `/` → ``);
 * null once there is a space or a line break, or no leading slash: the user is writing text.
 */
export function slashQuery(text: string): string | null {
  const m = /^\/(\S*)$/.exec(text);
  return m ? m[1]!.toLowerCase() : null;
}

/**
 * Prompts for the menu: commands starting with the query first, then commands containing it,
 * then titles containing it; each group by command. Case-insensitive.
 */
export function matchPrompts<T extends PromptRow>(prompts: readonly T[], query: string): T[] {
  const q = query.toLowerCase();
  const rank = (p: T): number => {
    if (p.command.startsWith(q)) return 0;
    if (p.command.includes(q)) return 1;
    if (p.title.toLowerCase().includes(q)) return 2;
    return -1;
  };
  return prompts
    .map((p) => ({ p, r: rank(p) }))
    .filter((x) => x.r >= 0)
    .sort((a, b) => a.r - b.r || (a.p.command < b.p.command ? -1 : a.p.command > b.p.command ? 1 : 0))
    .map((x) => x.p);
}
