/**
 * Source code: one fenced block, its language (for the fence's info string) from the file's
 * extension or name. The fence is longer than any backtick run inside, so it cannot close early.
 */

/** extension (lower case, no dot) → fence language. */
export const CODE_LANGUAGES: Readonly<Record<string, string>> = {
  js: 'javascript', mjs: 'javascript', cjs: 'javascript', jsx: 'jsx', ts: 'typescript', mts: 'typescript', cts: 'typescript', tsx: 'tsx',
  py: 'python', pyi: 'python', rb: 'ruby', php: 'php', pl: 'perl', pm: 'perl', lua: 'lua', r: 'r', jl: 'julia',
  java: 'java', kt: 'kotlin', kts: 'kotlin', scala: 'scala', groovy: 'groovy', gradle: 'groovy', clj: 'clojure',
  c: 'c', h: 'c', cc: 'cpp', cpp: 'cpp', cxx: 'cpp', hpp: 'cpp', hh: 'cpp', cs: 'csharp', fs: 'fsharp', go: 'go', rs: 'rust',
  swift: 'swift', m: 'objectivec', mm: 'objectivec', dart: 'dart', zig: 'zig', nim: 'nim', hs: 'haskell', ml: 'ocaml', ex: 'elixir', exs: 'elixir', erl: 'erlang',
  sh: 'bash', bash: 'bash', zsh: 'bash', fish: 'fish', ps1: 'powershell', bat: 'batch', cmd: 'batch',
  sql: 'sql', graphql: 'graphql', gql: 'graphql', proto: 'protobuf',
  css: 'css', scss: 'scss', sass: 'sass', less: 'less', vue: 'vue', svelte: 'svelte', astro: 'astro',
  xml: 'xml', svg: 'xml', yaml: 'yaml', yml: 'yaml', toml: 'toml', ini: 'ini', cfg: 'ini', conf: 'ini', properties: 'properties', env: 'bash',
  tf: 'hcl', hcl: 'hcl', cmake: 'cmake', mk: 'makefile', dockerfile: 'dockerfile', nix: 'nix', tex: 'latex', diff: 'diff', patch: 'diff',
};

/** Files known by their whole name (lower case), without a telling extension. */
export const CODE_FILENAMES: Readonly<Record<string, string>> = {
  dockerfile: 'dockerfile', makefile: 'makefile', gnumakefile: 'makefile', cmakelists: 'cmake', 'cmakelists.txt': 'cmake',
  jenkinsfile: 'groovy', gemfile: 'ruby', rakefile: 'ruby', vagrantfile: 'ruby', justfile: 'makefile',
  '.bashrc': 'bash', '.zshrc': 'bash', '.profile': 'bash', '.gitignore': 'ini', '.editorconfig': 'ini',
};

/** The fence language for a file name, or undefined when it is not known as code. */
export function codeLanguageOf(name: string): string | undefined {
  const base = (name.split(/[\\/]/).pop() ?? name).toLowerCase();
  const byName = CODE_FILENAMES[base];
  if (byName) return byName;
  const dot = base.lastIndexOf('.');
  return dot > 0 ? CODE_LANGUAGES[base.slice(dot + 1)] : undefined;
}

/** `text` in a fence tagged `language`, with a fence longer than any backtick run inside. */
export function fenceCode(text: string, language: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`{3,}/g)].map((m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${language}\n${text.replace(/\n+$/, '')}\n${fence}`;
}
