import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  APP_DIR_NAME,
  DATA_DIR_ENV,
  defaultUserDataDir,
  readFlag,
  resolveDataDir,
} from '../../src-main/service/data-dir.js';

describe('data folder resolution', () => {
  const userDataDir = '/home/ana/.config/Eventfold CRM';

  it('defaults to <userData>/data', () => {
    expect(resolveDataDir({ argv: [], env: {}, userDataDir })).toBe(join(userDataDir, 'data'));
  });

  it('takes the environment variable, and the flag over it (both spellings), resolved to absolute', () => {
    expect(resolveDataDir({ argv: [], env: { [DATA_DIR_ENV]: '/srv/crm' }, userDataDir })).toBe('/srv/crm');
    expect(resolveDataDir({ argv: ['--data-dir', '/a'], env: { [DATA_DIR_ENV]: '/b' }, userDataDir })).toBe(
      '/a',
    );
    expect(resolveDataDir({ argv: ['--data-dir=/c'], env: {}, userDataDir })).toBe('/c');
    expect(resolveDataDir({ argv: ['--data-dir', 'rel'], env: {}, userDataDir })).toBe(resolve('rel'));
  });

  it('ignores an empty flag or variable and a flag whose value is another flag', () => {
    expect(resolveDataDir({ argv: ['--data-dir='], env: { [DATA_DIR_ENV]: '' }, userDataDir })).toBe(
      join(userDataDir, 'data'),
    );
    expect(readFlag(['--data-dir', '--port', '5'], '--data-dir')).toBeUndefined();
    expect(readFlag(['--data-dir'], '--data-dir')).toBeUndefined();
    expect(readFlag(['x', '--port', '8080'], '--port')).toBe('8080');
  });

  it('computes the user-data folder Electron uses, per platform', () => {
    expect(defaultUserDataDir('linux', {}, '/home/ana')).toBe(join('/home/ana/.config', APP_DIR_NAME));
    expect(defaultUserDataDir('linux', { XDG_CONFIG_HOME: '/x' }, '/home/ana')).toBe(
      join('/x', APP_DIR_NAME),
    );
    expect(defaultUserDataDir('darwin', {}, '/Users/ana')).toBe(
      join('/Users/ana/Library/Application Support', APP_DIR_NAME),
    );
    expect(
      defaultUserDataDir('win32', { APPDATA: 'C:\\Users\\ana\\AppData\\Roaming' }, 'C:\\Users\\ana'),
    ).toBe(join('C:\\Users\\ana\\AppData\\Roaming', APP_DIR_NAME));
  });
});
