import { readFileSync } from 'node:fs';

/** The shared real-world samples (`../shared/fixtures/exports` beside the repo), read in place, never copied. */
export function exportFixture(name: string): { text: string; sidecar: { expected: Record<string, unknown> } } {
  const dir = new URL('../../../../shared/fixtures/exports/', import.meta.url);
  return {
    text: readFileSync(new URL(`${name}.export.json`, dir), 'utf8'),
    sidecar: JSON.parse(readFileSync(new URL(`${name}.json`, dir), 'utf8')) as { expected: Record<string, unknown> },
  };
}
