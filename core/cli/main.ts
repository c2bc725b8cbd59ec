/**
 * # core/cli: the `eventfold` command-line tool
 *
 * Looks inside a data folder without the app: a single log folder (core/log) or a whole store (core/es, one log
 * folder per stream under `streams/<type>/<id>/`). It reads the files directly, so it works on any folder the
 * engine or the Rust crate wrote. `bin/eventfold.mjs` runs {@link main} in plain Node.
 *
 * Exit codes: 0 ok, 1 problem found (or an operation refused), 2 usage error.
 * @module
 */
import { readFileSync } from 'node:fs';
import { EventfoldError } from '../log/index.js';
import { commandHelp, parseCommandArgs, type Command } from './command.js';
import { exportCommand } from './commands/export.js';
import { importCommand } from './commands/import.js';
import { infoCommand } from './commands/info.js';
import { rebuildCommand } from './commands/rebuild.js';
import { replayCommand } from './commands/replay.js';
import { rotateCommand } from './commands/rotate.js';
import { tailCommand } from './commands/tail.js';
import { verifyCommand } from './commands/verify.js';
import { CliError, EXIT_OK, EXIT_PROBLEM, EXIT_USAGE, UsageError } from './errors.js';
import { Output, type OutputStreams } from './output.js';

/** Every command, in the order `eventfold --help` lists them. */
export const COMMANDS: Command[] = [
  infoCommand,
  verifyCommand,
  tailCommand,
  replayCommand,
  rotateCommand,
  rebuildCommand,
  exportCommand,
  importCommand,
];

/** The top-level help. */
export function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'Usage: eventfold <command> [options]',
    '',
    'Inspect, verify, tail, replay, repair, export and import an Eventfold data folder:',
    'a log folder (app.jsonl, archive.jsonl.zst, views/) or a store (streams/<type>/<id>/, projections/, ...).',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Every command takes --help, and --json for output meant for scripts.',
    'Exit codes: 0 ok, 1 problem found (or refused), 2 usage error.',
    '',
    "Run `eventfold <command> --help` for a command's options.",
    '',
  ].join('\n');
}

function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version?: string;
    };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

function closest(name: string): string | undefined {
  return COMMANDS.map((c) => c.name).find((n) => n.startsWith(name.slice(0, 2)) || name.startsWith(n));
}

/**
 * Runs `eventfold` with the given arguments (without `node` and the script) and returns the exit code.
 * Never throws: every error becomes a message on stderr (or a JSON error document with `--json`) and exit code.
 */
export async function main(argv: string[], streams?: OutputStreams): Promise<number> {
  const wantsJson = argv.includes('--json');
  const out = new Output(wantsJson, streams);
  const io = streams ?? { stdout: process.stdout, stderr: process.stderr };
  const [name, ...rest] = argv;
  let command: Command | undefined;
  try {
    if (name === undefined) {
      io.stderr.write(mainHelp());
      return EXIT_USAGE;
    }
    if (name === '--help' || name === '-h') {
      io.stdout.write(mainHelp());
      return EXIT_OK;
    }
    if (name === '--version' || name === '-v') {
      io.stdout.write(`${version()}\n`);
      return EXIT_OK;
    }
    if (name === 'help') {
      const target = rest[0] === undefined ? undefined : COMMANDS.find((c) => c.name === rest[0]);
      if (rest[0] !== undefined && !target) throw new UsageError(`unknown command "${rest[0]}"`);
      io.stdout.write(target ? commandHelp(target) : mainHelp());
      return EXIT_OK;
    }
    command = COMMANDS.find((c) => c.name === name);
    if (!command) {
      const hint = closest(name);
      throw new UsageError(`unknown command "${name}"${hint ? ` (did you mean "${hint}"?)` : ''}`);
    }
    const args = parseCommandArgs(command, rest);
    if (args.values.help === true) {
      io.stdout.write(commandHelp(command));
      return EXIT_OK;
    }
    return await command.run({ args, out });
  } catch (err) {
    return report(err, out, io, command);
  }
}

function report(err: unknown, out: Output, io: OutputStreams, command: Command | undefined): number {
  const code = err instanceof CliError ? err.exitCode : EXIT_PROBLEM;
  const errCode = err instanceof EventfoldError ? err.code : 'UNEXPECTED';
  const message = err instanceof Error ? err.message : String(err);
  if (out.json) {
    io.stdout.write(`${JSON.stringify({ ok: false, error: { code: errCode, message } }, null, 2)}\n`);
  } else {
    io.stderr.write(`eventfold: ${message}\n`);
    if (err instanceof UsageError) {
      io.stderr.write(
        command
          ? `Run \`eventfold ${command.name} --help\` for its usage.\n`
          : 'Run `eventfold --help` for the list of commands.\n',
      );
    }
  }
  if (!(err instanceof EventfoldError) && process.env.EVENTFOLD_DEBUG && err instanceof Error && err.stack) {
    io.stderr.write(`${err.stack}\n`);
  }
  return code;
}

/**
 * The program: runs {@link main} on `process.argv` and sets the exit code. A closed stdout (`eventfold tail | head`)
 * ends the program quietly instead of with an EPIPE error.
 */
export async function runCli(argv: string[] = process.argv.slice(2)): Promise<void> {
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  process.exitCode = await main(argv);
}
