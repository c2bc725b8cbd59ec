/**
 * Where the data folder is: `--data-dir <path>` (or `--data-dir=<path>`), else `EVENTFOLD_DATA_DIR`, else
 * `<userData>/data`. The same rule in Electron (where userData is `app.getPath('userData')`) and in browser mode
 * (where it is the folder Electron would use, see {@link defaultUserDataDir}).
 * @module
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** The environment variable that overrides the data folder. */
export const DATA_DIR_ENV = 'EVENTFOLD_DATA_DIR';

/** The environment variable that moves the whole user-data folder (window state, single-instance lock): for tests. */
export const USER_DATA_DIR_ENV = 'EVENTFOLD_USER_DATA_DIR';

/** The command-line flag that overrides the data folder (it wins over the environment variable). */
export const DATA_DIR_FLAG = '--data-dir';

/** The folder name under the OS's application-data folder (Electron's userData uses it too). */
export const APP_DIR_NAME = 'Eventfold CRM';

/** A command-line option's value: `--name value` or `--name=value`; `undefined` when absent or empty. */
export function readFlag(argv: readonly string[], flag: string): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === flag) {
      const value = argv[i + 1];
      return value !== undefined && value !== '' && !value.startsWith('--') ? value : undefined;
    }
    if (arg.startsWith(`${flag}=`)) return arg.slice(flag.length + 1) || undefined;
  }
  return undefined;
}

/** The OS's per-user application-data folder, as Electron's `app.getPath('appData')` computes it. */
export function appDataDir(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
  home: string = homedir(),
): string {
  if (platform === 'win32') return env.APPDATA ?? join(home, 'AppData', 'Roaming');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support');
  return env.XDG_CONFIG_HOME ?? join(home, '.config');
}

/** The user-data folder Electron uses for this app (`<appData>/Eventfold CRM`). */
export function defaultUserDataDir(
  platform?: NodeJS.Platform,
  env?: NodeJS.ProcessEnv,
  home?: string,
): string {
  return join(appDataDir(platform, env, home), APP_DIR_NAME);
}

/** Resolves the data folder (absolute) from the flag, the environment, or `<userDataDir>/data`. */
export function resolveDataDir(options: {
  argv: readonly string[];
  env: NodeJS.ProcessEnv;
  userDataDir: string;
}): string {
  const chosen = readFlag(options.argv, DATA_DIR_FLAG) ?? (options.env[DATA_DIR_ENV] || undefined);
  return resolve(chosen ?? join(options.userDataDir, 'data'));
}
