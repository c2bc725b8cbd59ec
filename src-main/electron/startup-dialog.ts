/**
 * The dialog shown instead of a window when the data folder cannot be opened (locked, damaged, no access).
 * @module
 */
import { dialog, shell } from 'electron';
import type { StartupProblem } from '../service/startup-error.js';

/** Shows `problem` with "Quit" and "Show Data Folder"; resolves when the user has chosen. */
export async function showStartupProblem(problem: StartupProblem, dataDir: string): Promise<void> {
  const { response } = await dialog.showMessageBox({
    type: 'error',
    title: problem.title,
    message: problem.title,
    detail: `${problem.message}\n\n${problem.detail}`,
    buttons: ['Quit', 'Show Data Folder'],
    defaultId: 0,
    cancelId: 0,
  });
  if (response === 1) await shell.openPath(dataDir);
}
