/**
 * The shape of a command (name, usage, options, `run`), argument parsing with node:util `parseArgs`, and the
 * help text every command prints for `--help`.
 * @module
 */
import { parseArgs } from 'node:util';
import { UsageError } from './errors.js';
import type { Output } from './output.js';

/** One option of a command, as `parseArgs` takes it plus what `--help` shows. */
export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
  /** Placeholder of the value in help, e.g. `<file>`. */
  value?: string;
  description: string;
}

/** Parsed arguments: option values by name, then the positional arguments. */
export interface ParsedArgs {
  values: Record<string, string | boolean | string[] | boolean[] | undefined>;
  positionals: string[];
}

/** What a command gets to run. */
export interface CommandContext {
  args: ParsedArgs;
  out: Output;
}

/** A subcommand of `eventfold`. `run` returns the exit code (0 ok, 1 problem found). */
export interface Command {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** Positional arguments, e.g. `['<dir>']`. */
  positionals: string[];
  /** Options besides the common `--json` and `--help`. */
  options: Record<string, OptionSpec>;
  /** Paragraphs explaining what the command does. */
  description: string;
  examples: string[];
  run(ctx: CommandContext): Promise<number>;
}

/** Options every command accepts. */
export const COMMON_OPTIONS: Record<string, OptionSpec> = {
  json: { type: 'boolean', description: 'print the result as JSON (one document; JSONL for event streams)' },
  help: { type: 'boolean', short: 'h', description: 'show this help' },
};

/**
 * Parses `argv` (the arguments after the command name) for `command`.
 * @throws UsageError on an unknown option, a missing value or a wrong number of positional arguments.
 */
export function parseCommandArgs(command: Command, argv: string[]): ParsedArgs {
  const options = { ...command.options, ...COMMON_OPTIONS };
  let parsed: ParsedArgs;
  try {
    parsed = parseArgs({
      args: argv,
      options: Object.fromEntries(
        Object.entries(options).map(([k, o]) => [
          k,
          { type: o.type, ...(o.short ? { short: o.short } : {}), ...(o.multiple ? { multiple: true } : {}) },
        ]),
      ),
      allowPositionals: true,
      strict: true,
    }) as ParsedArgs;
  } catch (err) {
    const message = (err as Error).message.replace(/\. To specify a positional argument.*$/s, '');
    throw new UsageError(message, command.name);
  }
  if (parsed.values.help === true) return parsed;
  const required = command.positionals.filter((p) => p.startsWith('<')).length;
  if (parsed.positionals.length < required) {
    throw new UsageError(`missing ${command.positionals[parsed.positionals.length]}`, command.name);
  }
  if (parsed.positionals.length > command.positionals.length) {
    throw new UsageError(
      `unexpected argument "${parsed.positionals[command.positionals.length]}"`,
      command.name,
    );
  }
  return parsed;
}

/** The one-line usage of a command, e.g. `eventfold verify <dir> [--repair] [--json]`. */
export function usageLine(command: Command): string {
  const opts = Object.entries(command.options).map(
    ([k, o]) => `[--${k}${o.type === 'string' ? ` ${o.value ?? '<value>'}` : ''}]`,
  );
  return ['eventfold', command.name, ...command.positionals, ...opts, '[--json]'].join(' ');
}

/** The full `--help` text of a command. */
export function commandHelp(command: Command): string {
  const options = { ...command.options, ...COMMON_OPTIONS };
  const rows = Object.entries(options).map(([k, o]) => {
    const flag = `${o.short ? `-${o.short}, ` : ''}--${k}${o.type === 'string' ? ` ${o.value ?? '<value>'}` : ''}`;
    return [flag, o.description + (o.multiple ? ' (repeatable)' : '')];
  });
  const width = Math.max(...rows.map((r) => r[0]!.length));
  return [
    `Usage: ${usageLine(command)}`,
    '',
    command.summary,
    '',
    command.description.trim(),
    '',
    'Options:',
    ...rows.map(([f, d]) => `  ${f!.padEnd(width)}  ${d}`),
    '',
    'Exit codes: 0 ok, 1 problem found (or refused), 2 usage error.',
    ...(command.examples.length > 0 ? ['', 'Examples:', ...command.examples.map((e) => `  ${e}`)] : []),
    '',
  ].join('\n');
}

/** A string option's value, or undefined. */
export function stringOpt(args: ParsedArgs, name: string): string | undefined {
  const v = args.values[name];
  return typeof v === 'string' ? v : undefined;
}

/** A repeatable string option's values ([] when absent). */
export function stringsOpt(args: ParsedArgs, name: string): string[] {
  const v = args.values[name];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return typeof v === 'string' ? [v] : [];
}

/** Whether a boolean option was given. */
export function flag(args: ParsedArgs, name: string): boolean {
  return args.values[name] === true;
}
