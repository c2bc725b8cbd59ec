/**
 * Importing rows as contacts or companies: validation and duplicate detection (shared by `import.preview` and
 * `ImportRows`), and the import itself through the contract commands, with ids and command ids derived from each
 * row's content so that importing the same file again creates nothing new.
 * @module
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { DomainError, type CommandContext } from '../../es/index.js';
import {
  companyAggregate,
  companyCommandSchema,
  contactAggregate,
  contactCommandSchema,
  customFieldsAggregate,
  type CompanyState,
  type ContactState,
  type CustomFieldsState,
  type FieldDefinition,
} from '../domain/index.js';
import { validateCustomFieldValues } from '../domain/custom-field-values.js';
import { idSchema, LIMITS, parseCommandWith, uniqueIgnoringCase } from '../domain/validation.js';
import { emailIndexProjection, findDuplicateEmail } from '../email-index.js';
import type { CrmRuntime } from '../extension.js';
import { companiesProjection } from '../read/companies.js';
import { foldText } from '../read/normalize.js';
import { IMPORT_META_KEY, importAggregate, type ChunkCounts } from './import-log.js';
import {
  guessMapping,
  isValidTarget,
  mapCompanyRow,
  mapContactRow,
  type ColumnMapping,
  type CompanyRecord,
  type ContactRecord,
  type ImportKind,
} from './mapping.js';

/** At most this many rows per preview or `ImportRows` chunk. */
export const MAX_CHUNK_ROWS = 500;
const MAX_COLUMNS = 200;

const kindSchema = z.enum(['contact', 'company']);
const headersSchema = z.array(z.string().max(500)).max(MAX_COLUMNS);
const rowsSchema = z.array(z.array(z.string().max(LIMITS.body)).max(MAX_COLUMNS)).max(MAX_CHUNK_ROWS);
const mappingSchema = z.array(z.string().max(200).nullable()).max(MAX_COLUMNS);
/** The file row number of `rows[0]` (so messages name the row of the file, not of the chunk). Default 0. */
const firstRowSchema = z.number().int().min(0).max(100_000_000).optional();

/**
 * Params of `import.preview`: `rows` (at most 500, without the header line) under `headers`; `mapping` (one
 * target per column) defaults to {@link guessMapping}'s guess.
 */
export const importPreviewParams = z
  .object({
    kind: kindSchema,
    headers: headersSchema,
    rows: rowsSchema,
    mapping: mappingSchema.optional(),
    firstRow: firstRowSchema,
  })
  .strict();

/**
 * Input of `ImportRows`: one chunk (at most 500 rows and under the 1 MB request limit: see `chunkRows`) of import
 * `importId` (an id the caller makes once per file; every chunk of the file uses it). `onDuplicate` says what to do
 * with a row whose record exists already (same e-mail; same company name or domain): `skip` it, `update` the
 * existing record with the row's non-empty values (lists are added to), or `create` another record anyway.
 */
export const importRowsInput = z
  .object({
    importId: idSchema,
    kind: kindSchema,
    headers: headersSchema,
    mapping: mappingSchema,
    rows: rowsSchema,
    firstRow: firstRowSchema,
    onDuplicate: z.enum(['skip', 'update', 'create']),
  })
  .strict();

/** Why a row is a duplicate: an existing record, or an earlier row of the same rows. */
export type Duplicate =
  | { of: 'existing'; id: string; by: 'email' | 'name' | 'domain'; value: string }
  | { of: 'file'; row: number; by: 'email' | 'name' | 'domain'; value: string };

/** One row of a preview. */
export interface PreviewRow {
  /** Its row number (`firstRow` + index). */
  row: number;
  /** `new`: would be created; `duplicate`: see `duplicate`; `invalid`: see `errors`; `blank`: an empty row. */
  status: 'new' | 'duplicate' | 'invalid' | 'blank';
  /** The record the row maps to. */
  record: ContactRecord | CompanyRecord | null;
  /** What is wrong with it (the row would fail). */
  errors: string[];
  duplicate: Duplicate | null;
  /** For a contact with a company: the company it links to, `existingId: null` when the import creates it. */
  company: { name: string; existingId: string | null } | null;
}

/** The result of `import.preview`. */
export interface ImportPreview {
  kind: ImportKind;
  headers: string[];
  /** The mapping used (the one given, or the guess). */
  mapping: ColumnMapping;
  rows: PreviewRow[];
  counts: { rows: number; new: number; duplicate: number; invalid: number; blank: number };
  /** Names of the companies contact rows would create. */
  companiesToCreate: string[];
}

/** The result of one `ImportRows` chunk. */
export interface ImportChunkResult {
  importId: string;
  rows: number;
  created: number;
  updated: number;
  skipped: number;
  /** Rows that could not be imported, with the reason. */
  failed: { row: number; message: string }[];
  /** Companies created for contact rows (not counted in `created`). */
  companiesCreated: number;
}

/** A row checked and ready to import. */
interface PreparedRow {
  row: number;
  record: ContactRecord | CompanyRecord | null;
  errors: string[];
  /** The create command's input (validated and normalized), without `id`. */
  input: Record<string, unknown> | null;
  /** The hash of the kind and the mapped values: the base of the record's id and command id. */
  key: string;
}

function sha(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The record id of an imported row (derived from its content, so a re-import finds it). */
function recordId(key: string): string {
  return `imp-${key.slice(0, 32)}`;
}

/** Sentences for the problems of a refused create command, naming the offending values. */
function issueMessages(err: unknown, input: Record<string, unknown>): string[] {
  if (!(err instanceof DomainError)) throw err;
  const issues = (err.details as { issues?: { path: string; message: string }[] } | undefined)?.issues;
  if (!issues) return [err.message];
  return issues.map((i) => {
    const value = i.path.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown>)?.[k], input);
    return typeof value === 'string' && value !== '' ? `"${value}": ${i.message}` : i.message;
  });
}

/** Drops `null`, `''` and empty lists/objects (absent fields in a create command). */
function present(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(fields).filter(
      ([, v]) =>
        v !== null &&
        v !== '' &&
        !(Array.isArray(v) && v.length === 0) &&
        !(typeof v === 'object' && !Array.isArray(v) && v !== null && Object.keys(v).length === 0),
    ),
  );
}

function validate(
  kind: ImportKind,
  fields: Record<string, unknown>,
  customFields: Record<string, unknown>,
  defs: readonly FieldDefinition[],
): { input: Record<string, unknown> | null; errors: string[] } {
  const schema = kind === 'contact' ? contactCommandSchema : companyCommandSchema;
  const type = kind === 'contact' ? 'CreateContact' : 'CreateCompany';
  const errors: string[] = [];
  let input: Record<string, unknown> | null = null;
  try {
    // A missing name is reported by the mapping already: a stand-in keeps it from being reported twice.
    const name = kind === 'contact' ? { firstName: '-' } : { name: '-' };
    const command = { type, ...name, ...present(fields) };
    const { type: _type, ...parsed } = parseCommandWith(schema, command) as Record<string, unknown>;
    input = parsed;
  } catch (err) {
    errors.push(...issueMessages(err, fields));
  }
  try {
    const values = validateCustomFieldValues(defs, customFields);
    if (input && Object.keys(values).length > 0) input.customFields = values;
  } catch (err) {
    errors.push(...issueMessages(err, customFields));
  }
  return { input: errors.length === 0 ? input : null, errors };
}

function prepare(
  kind: ImportKind,
  mapping: ColumnMapping,
  rows: readonly string[][],
  firstRow: number,
  defs: readonly FieldDefinition[],
): PreparedRow[] {
  return rows.map((cells, i) => {
    const row = firstRow + i;
    const mapped =
      kind === 'contact' ? mapContactRow(mapping, cells, defs) : mapCompanyRow(mapping, cells, defs);
    if (!mapped.record) return { row, record: null, errors: [], input: null, key: '' };
    const { customFields, ...rest } = mapped.record;
    const fields: Record<string, unknown> = { ...rest };
    let company: string | null = null;
    let notes: string | null = null;
    if (kind === 'contact') {
      const c = mapped.record as ContactRecord;
      company = c.companyName;
      notes = c.notes;
      delete fields.companyName;
      delete fields.notes;
    }
    const checked = validate(kind, fields, customFields, defs);
    const errors = [...mapped.errors, ...checked.errors];
    if (company !== null && company.length > LIMITS.name)
      errors.push(`The company name has at most ${LIMITS.name} characters.`);
    const key = sha(JSON.stringify([kind, checked.input, company, notes]));
    return { row, record: mapped.record, errors, input: errors.length === 0 ? checked.input : null, key };
  });
}

/** The custom field definitions of a kind of record. */
async function definitions(rt: CrmRuntime, kind: ImportKind): Promise<FieldDefinition[]> {
  return ((await rt.store.get(customFieldsAggregate, kind).state()) as CustomFieldsState).fields;
}

function checkMapping(
  kind: ImportKind,
  headers: readonly string[],
  mapping: ColumnMapping,
  defs: readonly FieldDefinition[],
): void {
  if (mapping.length !== headers.length) {
    throw new DomainError(
      'INVALID_MAPPING',
      `The mapping has ${mapping.length} entries for ${headers.length} columns: give one target (or null) per column.`,
    );
  }
  const bad = mapping.filter((t): t is string => t !== null && !isValidTarget(kind, t, defs));
  if (bad.length > 0) {
    throw new DomainError(
      'INVALID_MAPPING',
      `Unknown target${bad.length > 1 ? 's' : ''} in the mapping: ${bad.join(', ')}.`,
      {
        unknown: bad,
      },
    );
  }
}

/** Live companies by folded name and by domain (trashed ones do not count: they are deleted). */
class CompanyLookup {
  private readonly byName = new Map<string, string>();
  private readonly byDomain = new Map<string, string>();

  constructor(rt: CrmRuntime) {
    for (const row of Object.values(rt.store.projection(companiesProjection).state.rows)) {
      if (row.trashed) continue;
      this.add(row.id, row.name, row.domain);
    }
  }

  add(id: string, name: string, domain: string | null): void {
    const n = foldText(name).trim();
    if (!this.byName.has(n)) this.byName.set(n, id);
    if (domain !== null && !this.byDomain.has(domain)) this.byDomain.set(domain, id);
  }

  find(
    name: string | null,
    domain: string | null,
  ): { id: string; by: 'name' | 'domain'; value: string } | null {
    const byDomain = domain === null ? undefined : this.byDomain.get(domain);
    if (byDomain !== undefined && domain !== null) return { id: byDomain, by: 'domain', value: domain };
    const byName = name === null ? undefined : this.byName.get(foldText(name).trim());
    return byName !== undefined && name !== null ? { id: byName, by: 'name', value: name } : null;
  }
}

/** The existing record a prepared row duplicates, if any. */
function existingDuplicate(
  rt: CrmRuntime,
  kind: ImportKind,
  p: PreparedRow,
  companies: CompanyLookup,
): Extract<Duplicate, { of: 'existing' }> | null {
  if (!p.input) return null;
  if (kind === 'contact') {
    const index = rt.store.projection(emailIndexProjection).state;
    const dup = findDuplicateEmail(index, (p.input.emails as string[] | undefined) ?? []);
    return dup ? { of: 'existing', id: dup.contactId, by: 'email', value: dup.email } : null;
  }
  const found = companies.find(p.input.name as string, (p.input.domain as string | undefined) ?? null);
  return found ? { of: 'existing', ...found } : null;
}

/** `import.preview`: what importing these rows would do, without doing it. */
export async function previewImport(
  rt: CrmRuntime,
  params: z.infer<typeof importPreviewParams>,
): Promise<ImportPreview> {
  const defs = await definitions(rt, params.kind);
  const mapping = params.mapping ?? guessMapping(params.headers, params.kind, defs);
  checkMapping(params.kind, params.headers, mapping, defs);
  const companies = new CompanyLookup(rt);
  const prepared = prepare(params.kind, mapping, params.rows, params.firstRow ?? 0, defs);
  const seen = new Map<string, { row: number; by: 'email' | 'name' | 'domain'; value: string }>();
  const toCreate = new Map<string, string>();
  const counts = { rows: prepared.length, new: 0, duplicate: 0, invalid: 0, blank: 0 };
  const rows = prepared.map((p): PreviewRow => {
    const base = { row: p.row, record: p.record, errors: p.errors, duplicate: null, company: null };
    if (!p.record) return { ...base, status: 'blank' };
    if (!p.input) return { ...base, status: 'invalid' };
    let company: PreviewRow['company'] = null;
    const companyName = params.kind === 'contact' ? (p.record as ContactRecord).companyName : null;
    if (companyName !== null) {
      const existingId = companies.find(companyName, null)?.id ?? null;
      if (existingId === null && !toCreate.has(foldText(companyName)))
        toCreate.set(foldText(companyName), companyName);
      company = { name: companyName, existingId };
    }
    // Keys that make two rows the same record: e-mails for contacts, domain and name for companies.
    const keys: { by: 'email' | 'name' | 'domain'; value: string }[] =
      params.kind === 'contact'
        ? ((p.input.emails as string[] | undefined) ?? []).map((value) => ({ by: 'email' as const, value }))
        : [
            ...(p.input.domain ? [{ by: 'domain' as const, value: p.input.domain as string }] : []),
            { by: 'name' as const, value: foldText(p.input.name as string).trim() },
          ];
    let duplicate: Duplicate | null = existingDuplicate(rt, params.kind, p, companies);
    if (!duplicate) {
      const earlier = keys.map((k) => seen.get(`${k.by}:${k.value}`)).find((s) => s !== undefined);
      if (earlier) duplicate = { of: 'file', ...earlier };
    }
    for (const k of keys)
      if (!seen.has(`${k.by}:${k.value}`)) seen.set(`${k.by}:${k.value}`, { row: p.row, ...k });
    return { ...base, company, duplicate, status: duplicate ? 'duplicate' : 'new' };
  });
  for (const r of rows) counts[r.status]++;
  return {
    kind: params.kind,
    headers: params.headers,
    mapping,
    rows,
    counts,
    companiesToCreate: [...toCreate.values()],
  };
}

/** Runs contract commands for one import, tagging their events with the import id. */
class Importer {
  readonly ctx: CommandContext;
  readonly companies: CompanyLookup;
  companiesCreated = 0;

  constructor(
    readonly rt: CrmRuntime,
    readonly importId: string,
  ) {
    this.ctx = { ...rt.ctx, metadata: { ...rt.ctx.metadata, [IMPORT_META_KEY]: importId } };
    this.companies = new CompanyLookup(rt);
  }

  /** Runs a command; a refusal becomes a row failure (`RowError`). */
  async run(
    command: string,
    input: Record<string, unknown>,
    commandId: string,
  ): Promise<{ duplicate: boolean; events: string[] }> {
    const r = await this.rt.execute({ command, input, commandId }, this.ctx);
    if (!r.ok) throw new RowError(r.error.message);
    return r.value as { duplicate: boolean; events: string[] };
  }

  /**
   * Creates a record with a content-derived id and command id. `existing` when an earlier import created it
   * already; a record an earlier import created and a revert trashed is restored (and counts as created).
   */
  async create(
    kind: ImportKind,
    id: string,
    input: Record<string, unknown>,
    commandId: string,
  ): Promise<'created' | 'existing'> {
    const name = kind === 'contact' ? 'Contact' : 'Company';
    const r = await this.run(`Create${name}`, { id, ...input }, commandId);
    if (!r.duplicate) return 'created';
    const aggregate = kind === 'contact' ? contactAggregate : companyAggregate;
    const state = (await this.rt.store.get(aggregate, id).state()) as ContactState | CompanyState;
    if (!state.life.trashed) return 'existing';
    await this.run(`Restore${name}`, { id }, `${commandId}:restore:${this.importId}`);
    return 'created';
  }

  /** The id of the company named `name`: an existing one, or one this import creates. */
  async companyNamed(name: string): Promise<string> {
    const found = this.companies.find(name, null);
    if (found) return found.id;
    const key = sha(JSON.stringify(['company-name', foldText(name).trim()]));
    const id = recordId(key);
    if ((await this.create('company', id, { name }, `import:${key}`)) === 'created') this.companiesCreated++;
    this.companies.add(id, name, null);
    return id;
  }
}

/** A row that could not be imported (the message is the user's). */
class RowError extends Error {}

/** The fields of `input` that would change `current`: scalars that differ, list entries not there yet. */
function updatePatch(
  current: Record<string, unknown>,
  input: Record<string, unknown>,
): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input)) {
    if (k === 'customFields') continue;
    const now = current[k];
    if (Array.isArray(v) && Array.isArray(now)) {
      const merged = uniqueIgnoringCase([...(now as string[]), ...(v as string[])]);
      if (merged.length > now.length) patch[k] = merged;
    } else if (k === 'address' && v && now) {
      const address = { ...(now as Record<string, unknown>) };
      for (const [part, value] of Object.entries(v as Record<string, unknown>))
        if (value !== null) address[part] = value;
      patch[k] = address;
    } else if (!(typeof v === 'string' && typeof now === 'string' && foldText(v) === foldText(now))) {
      // `ACME` over `Acme` is not news: only a real difference overwrites.
      patch[k] = v;
    }
  }
  return patch;
}

/** What became of one row. */
type ImportOutcome = 'created' | 'updated' | 'skipped' | { failed: string };

/** Rows of one chunk imported at once: each row is its own streams, so their syncs overlap. */
const ROW_CONCURRENCY = 32;

/**
 * What two rows must not do at the same time: rows sharing an e-mail address (or a company's name or domain, or
 * all their values) decide about each other (the second is a duplicate of the first), so they run in file order.
 */
function conflictKeys(p: PreparedRow): string[] {
  const keys = [`row:${p.key}`];
  const r = p.record as (ContactRecord & CompanyRecord) | null;
  if (!r) return keys;
  for (const e of r.emails ?? []) keys.push(`email:${e.trim().toLowerCase()}`);
  if (r.name) keys.push(`name:${foldText(r.name).trim()}`);
  if (r.domain) keys.push(`domain:${r.domain.trim().toLowerCase()}`);
  return keys;
}

/**
 * Runs `work` over `items`, {@link ROW_CONCURRENCY} lanes at a time: items that share a key (transitively) are one
 * lane and run one after another in their order; lanes run concurrently. Resolves when all are done; the first
 * error thrown stops taking new lanes and is rethrown.
 */
async function inLanes<T>(
  items: readonly T[],
  keysOf: (item: T) => string[],
  work: (item: T, index: number) => Promise<void>,
): Promise<void> {
  const parent = items.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  const owner = new Map<string, number>();
  items.forEach((item, i) => {
    for (const k of keysOf(item)) {
      const j = owner.get(k);
      if (j === undefined) owner.set(k, i);
      else parent[find(i)] = find(j);
    }
  });
  const lanes = new Map<number, number[]>();
  items.forEach((_, i) => {
    const root = find(i);
    const lane = lanes.get(root);
    if (lane) lane.push(i);
    else lanes.set(root, [i]);
  });
  const queue = [...lanes.values()];
  let failed = false;
  const runner = async (): Promise<void> => {
    for (let lane = queue.shift(); lane && !failed; lane = queue.shift()) {
      for (const i of lane) {
        try {
          await work(items[i]!, i);
        } catch (err) {
          failed = true;
          throw err;
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(ROW_CONCURRENCY, queue.length) }, runner));
}

/** Imports one valid row: creates its record, updates the record it duplicates, or skips it. */
async function importOne(
  im: Importer,
  kind: ImportKind,
  p: PreparedRow,
  onDuplicate: 'skip' | 'update' | 'create',
): Promise<'created' | 'updated' | 'skipped'> {
  // A row imported before (by any import) has its record already: that is not a duplicate, it is done.
  const ownId = recordId(p.key);
  const dup = im.rt.store.has(kind, ownId) ? null : existingDuplicate(im.rt, kind, p, im.companies);
  if (dup && onDuplicate === 'skip') return 'skipped';
  const input = { ...p.input! };
  const record = p.record as ContactRecord;
  if (kind === 'contact' && record.companyName !== null)
    input.companyId = await im.companyNamed(record.companyName);
  let outcome: 'created' | 'updated' | 'skipped';
  let target: string;
  if (dup && onDuplicate === 'update') {
    target = dup.id;
    const aggregate = kind === 'contact' ? contactAggregate : companyAggregate;
    const state = (await im.rt.store.get(aggregate, target).state()) as ContactState | CompanyState;
    const name = kind === 'contact' ? 'UpdateContact' : 'UpdateCompany';
    const fields = updatePatch(state.fields as unknown as Record<string, unknown>, input);
    const update = {
      id: target,
      fields,
      ...(input.customFields ? { customFields: input.customFields } : {}),
    };
    // Per import: after a revert, importing the file again re-applies its values; a retried chunk does not.
    const r = await im.run(name, update, `import:${p.key}:update:${target}:${im.importId}`);
    outcome = r.events.length > 0 && !r.duplicate ? 'updated' : 'skipped';
  } else {
    target = ownId;
    if (dup && kind === 'contact') input.force = true;
    outcome = (await im.create(kind, target, input, `import:${p.key}`)) === 'created' ? 'created' : 'skipped';
    if (kind === 'company')
      im.companies.add(target, input.name as string, (input.domain as string | undefined) ?? null);
  }
  if (kind === 'contact' && record.notes !== null && outcome !== 'skipped') {
    const noteKey = sha(JSON.stringify(['note', p.key, target]));
    const note = { id: recordId(noteKey), body: record.notes, link: { kind: 'contact', id: target } };
    await im.run('CreateNote', note, `import:${noteKey}`);
  }
  return outcome;
}

/** `ImportRows`: imports one chunk of rows and records its counts on the import. */
export async function importRows(
  rt: CrmRuntime,
  input: z.infer<typeof importRowsInput>,
  commandId: string | undefined,
): Promise<ImportChunkResult> {
  const { importId, kind } = input;
  const state = await rt.store.get(importAggregate, importId).state();
  if (state.reverted) {
    throw new DomainError(
      'IMPORT_REVERTED',
      'This import was reverted: start a new import to import these rows again.',
      { importId },
    );
  }
  const defs = await definitions(rt, kind);
  checkMapping(kind, input.headers, input.mapping, defs);
  const prepared = prepare(kind, input.mapping, input.rows, input.firstRow ?? 0, defs);
  const im = new Importer(rt, importId);
  const result: ImportChunkResult = {
    importId,
    rows: prepared.length,
    created: 0,
    updated: 0,
    skipped: 0,
    failed: [],
    companiesCreated: 0,
  };
  const outcomes: (ImportOutcome | null)[] = prepared.map(() => null);
  await inLanes(prepared, conflictKeys, async (p, i) => {
    if (!p.record) outcomes[i] = 'skipped';
    else if (!p.input) outcomes[i] = { failed: p.errors.join(' ') };
    else {
      try {
        outcomes[i] = await importOne(im, kind, p, input.onDuplicate);
      } catch (err) {
        if (!(err instanceof RowError)) throw err;
        outcomes[i] = { failed: err.message };
      }
    }
  });
  outcomes.forEach((o, i) => {
    if (o === null) return;
    if (typeof o === 'string') result[o]++;
    else result.failed.push({ row: prepared[i]!.row, message: o.failed });
  });
  result.companiesCreated = im.companiesCreated;
  const counts: ChunkCounts = {
    rows: result.rows,
    created: result.created,
    updated: result.updated,
    skipped: result.skipped,
    failed: result.failed.length,
  };
  await rt.store.execute(importAggregate, importId, { type: 'RecordImportChunk', kind, counts }, im.ctx, {
    commandId: commandId ?? `chunk:${sha(JSON.stringify(input))}`,
    waitForProjections: true,
  });
  return result;
}
