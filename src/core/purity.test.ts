import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * src/core is the pure vocabulary shared by the UI and the engine: it must run in node, so it
 * may not import the UI framework, the worker bridge, the UI or the workers, nor touch the DOM.
 */
const CORE = __dirname;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return name === '__fixtures__' ? [] : sources(p);
    return /\.(ts|tsx)$/.test(name) && !/\.test\.tsx?$/.test(name) ? [p] : [];
  });
}

const RULES: Array<[RegExp, string]> = [
  [/from\s+['"](solid-js|comlink)(\/[^'"]*)?['"]/, 'imports solid-js or comlink'],
  [/from\s+['"](\.\.\/)+(ui|components|stores)\//, 'imports from the UI'],
  [/from\s+['"](\.\.\/)+workers\//, 'imports from workers/'],
  [/\b(window|document)\s*\./, 'touches window/document'],
  [/\blocalStorage\b/, 'uses localStorage'],
];

export function violations(file: string, text: string): string[] {
  return RULES.filter(([re]) => re.test(text)).map(([, why]) => `${file}: ${why}`);
}

describe('src/core purity', () => {
  it('has no forbidden imports or globals', () => {
    const bad = sources(CORE).flatMap((f) => violations(relative(CORE, f), readFileSync(f, 'utf8')));
    expect(bad).toEqual([]);
  });

  it('the check itself catches each kind of violation', () => {
    expect(violations('x.ts', "import { createSignal } from 'solid-js';")).toHaveLength(1);
    expect(violations('x.ts', "import * as C from 'comlink';")).toHaveLength(1);
    expect(violations('x.ts', "import { App } from '../../ui/App';")).toHaveLength(1);
    expect(violations('x.ts', "import { e } from '../../workers/engine';")).toHaveLength(1);
    expect(violations('x.ts', 'const w = window.innerWidth;')).toHaveLength(1);
    expect(violations('x.ts', "document.querySelector('a')")).toHaveLength(1);
    expect(violations('x.ts', "import { z } from 'zod';")).toEqual([]);
  });
});
