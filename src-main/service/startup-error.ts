/**
 * Turns a failure to open the data folder into what the user sees: a title, a sentence saying what happened and
 * a sentence saying what to do. Electron shows it in a dialog; browser mode prints it.
 * @module
 */
import { EventfoldStoreLockedError } from '../../core/es/index.js';
import { CorruptLogError, EventfoldError, LockedError } from '../../core/log/index.js';

/** A startup failure, ready for a dialog. */
export interface StartupProblem {
  /** Stable: `'LOCKED'`, `'CORRUPT'`, `'NO_ACCESS'`, `'UNKNOWN'`. */
  code: 'LOCKED' | 'CORRUPT' | 'NO_ACCESS' | 'UNKNOWN';
  title: string;
  message: string;
  /** The underlying error's message (for the dialog's detail text and the log). */
  detail: string;
}

/** Describes why `dataDir` could not be opened. */
export function describeStartupError(err: unknown, dataDir: string): StartupProblem {
  const detail = err instanceof Error ? err.message : String(err);
  if (err instanceof LockedError || err instanceof EventfoldStoreLockedError)
    return {
      code: 'LOCKED',
      title: 'The data folder is in use',
      message: `Another Eventfold CRM (or another program) is using ${dataDir}. Close it, then start Eventfold CRM again.`,
      detail,
    };
  if (err instanceof CorruptLogError || (err instanceof EventfoldError && /CORRUPT/.test(err.code)))
    return {
      code: 'CORRUPT',
      title: 'The data folder is damaged',
      message: `Eventfold CRM found damaged data in ${dataDir} and did not change anything. Restore the folder from a backup, or run \`eventfold verify --repair\` on it.`,
      detail,
    };
  const errno = (err as NodeJS.ErrnoException | null)?.code;
  if (errno === 'EACCES' || errno === 'EPERM' || errno === 'EROFS' || errno === 'ENOTDIR')
    return {
      code: 'NO_ACCESS',
      title: 'The data folder cannot be used',
      message: `Eventfold CRM cannot read and write ${dataDir} (${errno}). Check the folder's permissions, or choose another folder with --data-dir.`,
      detail,
    };
  return {
    code: 'UNKNOWN',
    title: 'Eventfold CRM could not open its data',
    message: `Opening ${dataDir} failed. Nothing was changed. Details are below; please report them.`,
    detail,
  };
}
