/**
 * The app's version, read from package.json (browser mode; Electron has `app.getVersion()`).
 * @module
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The `version` field of `<projectDir>/package.json`, or `'0.0.0'` when it cannot be read. */
export function readAppVersion(projectDir: string): string {
  try {
    const pkg = JSON.parse(readFileSync(join(projectDir, 'package.json'), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}
