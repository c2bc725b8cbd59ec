/**
 * **Interim backend: the stand-in that `createCrmBackend(dataDir)` replaces.**
 *
 * The desktop shell (Electron main, the browser-mode host) and its end-to-end tests need a real {@link CrmBackend}
 * before the CRM domain exists. This one is small but real: contacts are events in a core/log {@link EventLog}
 * (durable on every append, locked against a second writer), folded by one view. It knows one command
 * (`contact.create`) and two queries (`contact.list`, `app.info`), validates every input with zod, and pushes a
 * {@link ChangeNotification} after each command. Its log lives in `<dataDir>/interim-contacts`, apart from the
 * layout the real domain will use. When `createCrmBackend` lands, the shell's backend seam
 * (`src-main/service/backend.ts`) switches to it and this file goes away.
 * @module
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { z } from 'zod';
import {
  createEvent,
  EventfoldError,
  EventLog,
  type Event,
  type Logger,
  silentLogger,
} from '../log/index.js';
import type {
  BackendError,
  BackendResult,
  ChangeNotification,
  CommandRequest,
  CrmBackend,
  QueryRequest,
} from './backend.js';

/** Input of `contact.create`: a name (required) and an optional e-mail address. */
export const contactCreateInput = z
  .object({
    name: z.string().trim().min(1, 'Enter a name.').max(200, 'A name has at most 200 characters.'),
    // An empty field means "no e-mail", not an invalid one.
    email: z.preprocess(
      (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
      z
        .string()
        .trim()
        .max(320, 'An e-mail address has at most 320 characters.')
        .email('Enter a valid e-mail address, like ana@example.com.')
        .optional(),
    ),
  })
  .strict();

/** Params of a query that takes none. */
const noParams = z.object({}).strict();

/**
 * The interim contract: one zod schema per command input and per query's params. The shell validates untrusted
 * requests against it before they reach the backend (which validates again).
 */
export const interimContract = {
  commands: { 'contact.create': contactCreateInput },
  queries: { 'contact.list': noParams, 'app.info': noParams },
} as const;

/** A contact as `contact.list` returns it. */
export interface InterimContact {
  id: string;
  name: string;
  email?: string;
  /** Unix seconds. */
  createdAt: number;
}

/** What `app.info` returns. */
export interface InterimAppInfo {
  version: string;
  dataDir: string;
}

/** Options of {@link createInterimBackend}. */
export interface InterimBackendOptions {
  /** Reported by `app.info`. */
  version: string;
  /** Where unexpected failures are reported (their details never reach the caller). */
  logger?: Logger;
}

interface ContactsState {
  contacts: InterimContact[];
  /** commandId -> contact id, so a re-sent command returns the first result. */
  commands: Record<string, string>;
  /** Events folded: the notification position. */
  position: number;
}

const CONTACT_CREATED = 'contact_created';

interface ContactCreatedData {
  id: string;
  name: string;
  email?: string;
  commandId?: string;
}

function reduceContacts(state: ContactsState, event: Event): ContactsState {
  state.position += 1;
  if (event.type !== CONTACT_CREATED) return state;
  const data = event.data as ContactCreatedData;
  const contact: InterimContact = { id: data.id, name: data.name, createdAt: event.ts };
  if (data.email !== undefined) contact.email = data.email;
  state.contacts.push(contact);
  if (data.commandId !== undefined) state.commands[data.commandId] = data.id;
  return state;
}

function fail(
  kind: BackendError['kind'],
  code: string,
  message: string,
  details?: unknown,
): BackendResult<never> {
  const error: BackendError = { kind, code, message };
  if (details !== undefined) error.details = details;
  return { ok: false, error };
}

function invalid(issues: z.ZodIssue[]): BackendResult<never> {
  const details = issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  return fail('validation', 'INVALID_INPUT', details.map((d) => d.message).join(' '), details);
}

/**
 * Opens the interim backend on `dataDir` (see the module comment).
 * @throws LockedError when another process holds the data folder; CorruptLogError when its log is damaged.
 */
export async function createInterimBackend(
  dataDir: string,
  options: InterimBackendOptions,
): Promise<CrmBackend> {
  const logger = options.logger ?? silentLogger;
  const log = await EventLog.builder(join(dataDir, 'interim-contacts'))
    .view<ContactsState>('contacts', reduceContacts, () => ({ contacts: [], commands: {}, position: 0 }))
    .logger(logger)
    .open();
  const listeners = new Set<(n: ChangeNotification) => void>();
  // Commands run one at a time so the duplicate-email check sees every earlier command's event.
  let queue: Promise<unknown> = Promise.resolve();
  let closed = false;

  const state = (): ContactsState => log.view<ContactsState>('contacts');

  async function createContact(request: CommandRequest): Promise<BackendResult> {
    const parsed = contactCreateInput.safeParse(request.input);
    if (!parsed.success) return invalid(parsed.error.issues);
    const { name, email } = parsed.data;
    const s = state();
    const previous = request.commandId !== undefined ? s.commands[request.commandId] : undefined;
    if (previous !== undefined) return { ok: true, value: { id: previous } };
    if (email !== undefined) {
      const existing = s.contacts.find((c) => c.email?.toLowerCase() === email.toLowerCase());
      if (existing)
        return fail(
          'domain',
          'DUPLICATE_EMAIL',
          `${existing.name} already has the e-mail address ${email}.`,
          {
            contactId: existing.id,
          },
        );
    }
    const data: ContactCreatedData = { id: randomUUID(), name };
    if (email !== undefined) data.email = email;
    if (request.commandId !== undefined) data.commandId = request.commandId;
    await log.append(createEvent(CONTACT_CREATED, data, { id: randomUUID() }));
    await log.refreshAll();
    const notification: ChangeNotification = { changed: ['contact.list'], position: state().position };
    for (const listener of listeners) {
      try {
        listener(notification);
      } catch (err) {
        logger.warn('a change listener threw', { error: String(err) });
      }
    }
    return { ok: true, value: { id: data.id } };
  }

  function internal(err: unknown, what: string): BackendResult<never> {
    logger.warn(`interim backend: ${what} failed`, { error: String(err) });
    if (err instanceof EventfoldError) return fail('internal', err.code, err.message);
    return fail(
      'internal',
      'INTERNAL',
      'Something went wrong while saving or reading your data; details are in the log.',
    );
  }

  const closedResult = (): BackendResult<never> =>
    fail('internal', 'CLOSED', 'The data folder is closed; restart the app to continue.');

  return {
    execute(request: CommandRequest): Promise<BackendResult> {
      if (closed) return Promise.resolve(closedResult());
      const run = async (): Promise<BackendResult> => {
        if (request.command !== 'contact.create')
          return fail(
            'validation',
            'UNKNOWN_COMMAND',
            `There is no command named "${String(request.command)}".`,
          );
        try {
          return await createContact(request);
        } catch (err) {
          return internal(err, `command ${request.command}`);
        }
      };
      const result = queue.then(run);
      queue = result;
      return result;
    },

    async query(request: QueryRequest): Promise<BackendResult> {
      if (closed) return closedResult();
      const schema = (interimContract.queries as Record<string, z.ZodTypeAny>)[request.query];
      if (!schema)
        return fail('validation', 'UNKNOWN_QUERY', `There is no query named "${String(request.query)}".`);
      const parsed = schema.safeParse(request.params ?? {});
      if (!parsed.success) return invalid(parsed.error.issues);
      if (request.query === 'app.info') {
        const info: InterimAppInfo = { version: options.version, dataDir };
        return { ok: true, value: info };
      }
      const contacts = [...state().contacts].sort(
        (a, b) => a.name.localeCompare(b.name) || a.createdAt - b.createdAt,
      );
      return { ok: true, value: contacts };
    },

    subscribe(listener: (n: ChangeNotification) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      listeners.clear();
      await queue.catch(() => undefined);
      await log.close();
    },
  };
}
