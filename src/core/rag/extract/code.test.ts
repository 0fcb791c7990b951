import { describe, expect, it } from 'vitest';
import { codeLanguageOf, fenceCode } from './code';

describe('code', () => {
  it('names the language from the extension or the whole name', () => {
    expect(codeLanguageOf('src/main.PY')).toBe('python');
    expect(codeLanguageOf('Makefile')).toBe('makefile');
    expect(codeLanguageOf('x.unknown')).toBeUndefined();
    expect(codeLanguageOf('.hidden')).toBeUndefined();
  });

  it('fences with more backticks than the longest run inside', () => {
    expect(fenceCode('let a = 1;\n\n', 'javascript')).toBe('```javascript\nlet a = 1;\n```');
    expect(fenceCode('doc = """\n```md\n```\n"""', 'python')).toBe('````python\ndoc = """\n```md\n```\n"""\n````');
  });
});
