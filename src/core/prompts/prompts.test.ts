import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb, type ParleyDb } from '../storage/db';
import { deletePrompt, normalizeCommand, savePrompt, type PromptInput } from './prompts';
import { builtinValues, fillVariables, findBuiltins, findVariables } from './fill-variables';
import { matchPrompts, slashQuery } from './match-prompts';
import { isAppError } from '../errors';
import type { Prompt } from './schema';

describe('findVariables', () => {
  it.each([
    ['no variables', 'Summarize this.', []],
    ['one', 'Write about {{topic}}.', ['topic']],
    ['in order, once each', '{{b}} {{a}} {{b}}', ['b', 'a']],
    ['spaces inside braces', '{{ topic }} and {{  tone}}', ['topic', 'tone']],
    ['letters beyond ASCII, digits, - and _', '{{thème}} {{step_2}} {{out-lang}}', ['thème', 'step_2', 'out-lang']],
    ['built-ins are not asked for', '{{CLIPBOARD}} {{CURRENT_DATE}} {{x}} {{USER_LANGUAGE}}', ['x']],
    ['not variables: empty, spaced, piped, leading digit, single braces', '{{}} {{a b}} {{x | text}} {{2x}} {y}', []],
    ['unclosed', 'about {{topic', []],
  ])('%s', (_, content, expected) => {
    expect(findVariables(content)).toEqual(expected);
  });
});

describe('findBuiltins', () => {
  it.each([
    ['none', '{{topic}}', []],
    ['the clipboard once', '{{CLIPBOARD}} then {{ CLIPBOARD }}', ['CLIPBOARD']],
    ['case matters', '{{clipboard}} {{CURRENT_TIME}}', ['CURRENT_TIME']],
  ])('%s', (_, content, expected) => {
    expect(findBuiltins(content)).toEqual(expected);
  });
});

describe('fillVariables', () => {
  const builtins = { CURRENT_DATE: '2025-01-31', CLIPBOARD: 'copied text' };
  it.each([
    ['fills a variable', 'About {{topic}}.', { topic: 'owls' }, 'About owls.'],
    ['fills every occurrence, spaced or not', '{{t}}/{{ t }}', { t: 'x' }, 'x/x'],
    ['fills built-ins from their argument', '{{CURRENT_DATE}}: {{CLIPBOARD}}', {}, '2025-01-31: copied text'],
    ['a user value never replaces a built-in', '{{CURRENT_DATE}}', { CURRENT_DATE: 'typed' }, '2025-01-31'],
    ['a built-in not given stays as written', '{{CURRENT_TIME}}', {}, '{{CURRENT_TIME}}'],
    ['an unknown variable stays as written', 'About {{topic}}.', {}, 'About {{topic}}.'],
    ['an empty value empties the variable', 'a{{x}}b', { x: '' }, 'ab'],
    ['one pass: a value holding {{…}} is not filled again', '{{a}}', { a: '{{b}}', b: 'no' }, '{{b}}'],
    ['replacement patterns in values are literal', '{{a}}', { a: '$& $1 $$' }, '$& $1 $$'],
    ['inherited names are not values', '{{toString}}', {}, '{{toString}}'],
    ['text that is not a variable is untouched', '{{a b}} {x}', { a: '1', x: '2' }, '{{a b}} {x}'],
  ])('%s', (_, content, values: Record<string, string>, expected) => {
    expect(fillVariables(content, values, builtins)).toBe(expected);
  });
});

describe('builtinValues', () => {
  it('formats local date and time the same in every locale, and passes language and clipboard through', () => {
    // Local-time constructor: the test holds in any time zone.
    const v = builtinValues({ now: new Date(2025, 0, 5, 9, 7, 30), language: 'de-CH', clipboard: 'clip' });
    expect(v).toEqual({
      CURRENT_DATE: '2025-01-05',
      CURRENT_TIME: '09:07',
      CURRENT_DATETIME: '2025-01-05 09:07',
      CURRENT_WEEKDAY: 'Sunday',
      USER_LANGUAGE: 'de-CH',
      CLIPBOARD: 'clip',
    });
  });

  it('leaves CLIPBOARD out when it was not read', () => {
    expect(builtinValues({ now: new Date(2025, 11, 31, 23, 59), language: 'en' })).not.toHaveProperty('CLIPBOARD');
  });
});

describe('slashQuery', () => {
  it.each([
    ['/', ''],
    ['/sum', 'sum'],
    ['/Sum', 'sum'],
    ['/sum ', null],
    ['/sum\nmore', null],
    ['hello /sum', null],
    [' /sum', null],
    ['', null],
  ])('%j → %j', (text, expected) => {
    expect(slashQuery(text)).toBe(expected);
  });
});

describe('matchPrompts', () => {
  const rows = [
    { command: 'translate', title: 'Translate to German' },
    { command: 'summarize', title: 'Summary' },
    { command: 'resum', title: 'Résumé' },
    { command: 'explain', title: 'Explain like I am five' },
  ];
  it.each([
    ['everything for an empty query, by command', '', ['explain', 'resum', 'summarize', 'translate']],
    ['command prefix before command infix', 'sum', ['summarize', 'resum']],
    ['then titles', 'german', ['translate']],
    ['case-insensitive', 'EXPL', ['explain']],
    ['nothing', 'zzz', []],
  ])('%s', (_, q, expected) => {
    expect(matchPrompts(rows, q).map((p) => p.command)).toEqual(expected);
  });
});

describe('normalizeCommand', () => {
  it.each([
    [' /Summarize ', 'summarize'],
    ['//x', 'x'],
    ['plain', 'plain'],
  ])('%j → %j', (input, expected) => {
    expect(normalizeCommand(input)).toBe(expected);
  });
});

describe('savePrompt / deletePrompt', () => {
  let db: ParleyDb;
  let n = 0;
  beforeEach(async () => {
    db = openDb(`prompts-${++n}`);
    await db.open();
  });
  afterEach(async () => {
    await db.delete();
  });

  async function save(input: PromptInput, now = 1000): Promise<Prompt> {
    const r = await savePrompt(db, input, now);
    if (isAppError(r)) throw new Error(r.message);
    return r;
  }

  it('stores a normalized command, the title (or the command when blank) and the content as typed', async () => {
    const a = await save({ command: ' /Summarize ', title: '  Summary ', content: 'Summarize {{topic}}\n' });
    expect(a).toMatchObject({ command: 'summarize', title: 'Summary', content: 'Summarize {{topic}}\n', createdAt: 1000, updatedAt: 1000 });
    const b = await save({ command: 'tl', title: ' ', content: 'x' });
    expect(b.title).toBe('tl');
    expect(await db.prompts.count()).toBe(2);
  });

  it.each([
    ['an empty command', { command: ' / ', title: '', content: 'x' }, 'Give the prompt a command'],
    ['a command with a space', { command: 'sum up', title: '', content: 'x' }, 'only use letters, digits'],
    ['a command starting with -', { command: '-x', title: '', content: 'x' }, 'must start with a letter or digit'],
    ['a too long command', { command: 'a'.repeat(49), title: '', content: 'x' }, 'at most 48'],
    ['empty content', { command: 'x', title: '', content: ' \n ' }, 'prompt text is empty'],
  ])('refuses %s with a message a user can act on, and stores nothing', async (_, input, words) => {
    const r = await savePrompt(db, input, 1);
    expect(isAppError(r) && r.kind === 'invalid' && r.message).toContain(words);
    expect(await db.prompts.count()).toBe(0);
  });

  it('refuses a command another prompt uses, whatever its case or slash', async () => {
    await save({ command: 'sum', title: '', content: 'a' });
    const r = await savePrompt(db, { command: '/SUM', title: '', content: 'b' }, 2);
    expect(isAppError(r) && r.message).toContain('Another prompt already uses /sum');
    expect((await db.prompts.toArray()).map((p) => p.content)).toEqual(['a']);
  });

  it('edits in place: keeps id and createdAt, may keep its own command or take a free one', async () => {
    const a = await save({ command: 'sum', title: 'A', content: 'a' }, 1000);
    const same = await save({ id: a.id, command: 'sum', title: 'B', content: 'b' }, 2000);
    expect(same).toEqual({ id: a.id, command: 'sum', title: 'B', content: 'b', createdAt: 1000, updatedAt: 2000 });
    const moved = await save({ id: a.id, command: 'summary', title: 'B', content: 'b' }, 3000);
    expect(moved.command).toBe('summary');
    expect(await db.prompts.count()).toBe(1);
  });

  it('an edit may not take another prompt’s command', async () => {
    await save({ command: 'a', title: '', content: 'a' });
    const b = await save({ command: 'b', title: '', content: 'b' });
    const r = await savePrompt(db, { id: b.id, command: 'a', title: '', content: 'b' }, 2);
    expect(isAppError(r) && r.message).toContain('/a');
    expect((await db.prompts.get(b.id))?.command).toBe('b');
  });

  it('an edit of a deleted prompt is refused instead of recreating it', async () => {
    const a = await save({ command: 'a', title: '', content: 'a' });
    await deletePrompt(db, a.id);
    const r = await savePrompt(db, { id: a.id, command: 'a', title: '', content: 'again' }, 2);
    expect(isAppError(r) && r.message).toContain('deleted');
    expect(await db.prompts.count()).toBe(0);
  });

  it('the unique index holds even for a write that skips savePrompt', async () => {
    await save({ command: 'a', title: '', content: 'a' });
    await expect(db.prompts.add({ id: 'x', command: 'a', title: '', content: 'b', createdAt: 1, updatedAt: 1 })).rejects.toThrow();
  });
});

describe('upgrade to version 3', () => {
  it('keeps version 2 data and adds an empty prompts table', async () => {
    const name = 'prompts-upgrade';
    const v2 = new Dexie(name);
    v2.version(1).stores({ connections: 'id, kind, createdAt', chats: 'id, updatedAt, pinned, archived, folderId', messages: 'id, chatId, [chatId+createdAt], parentId, status', settings: 'key' });
    v2.version(2).stores({ modelCache: 'connectionId' });
    await v2.table('settings').put({ key: 'k', value: 1 });
    v2.close();
    const db = openDb(name);
    expect(await db.settings.get('k')).toEqual({ key: 'k', value: 1 });
    expect(await db.prompts.count()).toBe(0);
    // Opened at the newest version, whatever came after 3.
    expect(db.verno).toBeGreaterThanOrEqual(3);
    await db.delete();
  });
});
