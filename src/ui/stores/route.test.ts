import { describe, expect, it } from 'vitest';
import { chatIdFromLocation, chatPath } from './route';

describe('chat addresses', () => {
  it.each([
    ['/c/abc_123', '', '/', 'abc_123'],
    ['/c/abc_123/', '', '/', 'abc_123'],
    ['/', '#/c/old-id', '/', 'old-id'],
    ['/parley/c/x1', '', '/parley/', 'x1'],
    ['/c/x1', '', '/parley/', null],
    ['/c/', '', '/', null],
    ['/c/a/b', '', '/', null],
    ['/c/<script>', '', '/', null],
    ['/', '', '/', null],
  ])('%s %s (base %s) → %s', (path, hash, base, id) => {
    expect(chatIdFromLocation(path, hash, base)).toBe(id);
  });

  it('round-trips', () => {
    expect(chatIdFromLocation(chatPath('q9', '/app/'), '', '/app/')).toBe('q9');
    expect(chatPath(null, '/app/')).toBe('/app/');
  });
});
