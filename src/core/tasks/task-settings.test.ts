import { describe, expect, it } from 'vitest';
import { DEFAULT_TASK_SETTINGS, readTaskSettings, templateOf } from './task-settings';
import { DEFAULT_TEMPLATES } from './templates';

describe('readTaskSettings', () => {
  it('nothing stored: every task on, the chat’s model, our templates', () => {
    expect(readTaskSettings(undefined)).toEqual(DEFAULT_TASK_SETTINGS);
    expect(templateOf(readTaskSettings(null), 'tags')).toBe(DEFAULT_TEMPLATES.tags);
  });

  it('reads each field on its own; a malformed one takes its default', () => {
    const s = readTaskSettings({
      model: { id: 'small', connectionId: 'c1' },
      enabled: { title: false, tags: 'no', followUps: false },
      templates: { title: 'Mine {{MESSAGES}}', tags: '   ', followUps: 3 },
    });
    expect(s).toEqual({ model: { id: 'small', connectionId: 'c1' }, enabled: { title: false, tags: true, followUps: false }, templates: { title: 'Mine {{MESSAGES}}' } });
    expect(templateOf(s, 'title')).toBe('Mine {{MESSAGES}}');
    expect(templateOf(s, 'followUps')).toBe(DEFAULT_TEMPLATES.followUps);
    expect(readTaskSettings({ model: { id: 'x' } }).model).toBeNull();
    expect(readTaskSettings({ model: { id: '', connectionId: 'c' } }).model).toBeNull();
    expect(readTaskSettings([1, 2])).toEqual(DEFAULT_TASK_SETTINGS);
  });
});
