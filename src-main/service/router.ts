/**
 * The request router shared by Electron's IPC handlers and the browser-mode HTTP bridge: it validates an untrusted
 * payload (envelope, size, name, input against the contract's zod schema), forwards it to the backend, and turns
 * anything thrown into an `internal` error. It never throws and never passes an invalid request on.
 * @module
 */
import { z } from 'zod';
import type { BackendResult, CommandRequest, CrmBackend, QueryRequest } from '../../core/crm/backend.js';
import { silentLogger, type Logger } from '../../core/log/index.js';
import { failure, internalFailure, invalidInput, isBackendResult } from './backend-errors.js';
import type { ShellContract } from './contract.js';
import { MAX_COMMAND_ID_LENGTH, MAX_NAME_LENGTH, MAX_REQUEST_BYTES } from './limits.js';

const name = z.string().min(1).max(MAX_NAME_LENGTH);

/** The envelope of a command request (the input itself is checked against the contract afterwards). */
const commandEnvelope = z
  .object({
    command: name,
    input: z.unknown(),
    commandId: z.string().min(1).max(MAX_COMMAND_ID_LENGTH).optional(),
    expectedVersion: z.number().int().nonnegative().optional(),
  })
  .strict();

/** The envelope of a query request. */
const queryEnvelope = z.object({ query: name, params: z.unknown() }).strict();

/** Routes validated requests to a backend. */
export interface Router {
  /** Validates and runs a command request that came from an untrusted sender. */
  execute(payload: unknown): Promise<BackendResult>;
  /** Validates and runs a query request that came from an untrusted sender. */
  query(payload: unknown): Promise<BackendResult>;
}

/** Options of {@link createRouter}. */
export interface RouterOptions {
  /** Where unexpected failures are reported. */
  logger?: Logger;
  /** Largest payload accepted, in bytes of JSON. Default {@link MAX_REQUEST_BYTES}. */
  maxBytes?: number;
}

/** Size of `payload` as JSON, or `null` when it is not JSON-serialisable (cycles, BigInt, functions). */
function jsonSize(payload: unknown): number | null {
  try {
    const text = JSON.stringify(payload);
    return text === undefined ? null : Buffer.byteLength(text);
  } catch {
    return null;
  }
}

/** Creates the router for `backend`, validating against `contract`. */
export function createRouter(
  backend: CrmBackend,
  contract: ShellContract,
  options: RouterOptions = {},
): Router {
  const logger = options.logger ?? silentLogger;
  const maxBytes = options.maxBytes ?? MAX_REQUEST_BYTES;

  function checkSize(payload: unknown): BackendResult<never> | null {
    const size = jsonSize(payload);
    if (size === null)
      return failure('validation', 'MALFORMED_REQUEST', 'The request is not plain JSON data.');
    if (size > maxBytes)
      return failure(
        'validation',
        'PAYLOAD_TOO_LARGE',
        `The request is ${size} bytes; the limit is ${maxBytes} bytes. Send less data at once.`,
      );
    return null;
  }

  async function forward(what: string, call: () => Promise<BackendResult>): Promise<BackendResult> {
    try {
      const result = await call();
      if (isBackendResult(result)) return result;
      logger.warn(`${what}: the backend returned something that is not a BackendResult`);
      return internalFailure();
    } catch (err) {
      logger.warn(`${what} threw`, {
        error: err instanceof Error ? (err.stack ?? err.message) : String(err),
      });
      return internalFailure();
    }
  }

  return {
    async execute(payload: unknown): Promise<BackendResult> {
      const tooBig = checkSize(payload);
      if (tooBig) return tooBig;
      const envelope = commandEnvelope.safeParse(payload);
      if (!envelope.success)
        return invalidInput('MALFORMED_REQUEST', 'The command request', envelope.error.issues);
      const { command, input, commandId, expectedVersion } = envelope.data;
      const schema = Object.hasOwn(contract.commands, command) ? contract.commands[command] : undefined;
      if (!schema)
        return failure('validation', 'UNKNOWN_COMMAND', `There is no command named "${command}".`, {
          known: Object.keys(contract.commands),
        });
      const parsed = schema.safeParse(input);
      if (!parsed.success)
        return invalidInput('INVALID_INPUT', `The input of ${command}`, parsed.error.issues);
      const request: CommandRequest = { command, input: parsed.data };
      if (commandId !== undefined) request.commandId = commandId;
      if (expectedVersion !== undefined) request.expectedVersion = expectedVersion;
      return forward(`command ${command}`, () => backend.execute(request));
    },

    async query(payload: unknown): Promise<BackendResult> {
      const tooBig = checkSize(payload);
      if (tooBig) return tooBig;
      const envelope = queryEnvelope.safeParse(payload);
      if (!envelope.success)
        return invalidInput('MALFORMED_REQUEST', 'The query request', envelope.error.issues);
      const { query, params } = envelope.data;
      const schema = Object.hasOwn(contract.queries, query) ? contract.queries[query] : undefined;
      if (!schema)
        return failure('validation', 'UNKNOWN_QUERY', `There is no query named "${query}".`, {
          known: Object.keys(contract.queries),
        });
      const parsed = schema.safeParse(params ?? {});
      if (!parsed.success)
        return invalidInput('INVALID_PARAMS', `The parameters of ${query}`, parsed.error.issues);
      const request: QueryRequest = { query, params: parsed.data };
      return forward(`query ${query}`, () => backend.query(request));
    },
  };
}
