import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sanitizeFileName, type AttachmentChunk, type AttachmentRow } from '../../core/crm/attachments.js';
import type { BackendResult } from '../../core/crm/backend.js';
import { blobPath } from '../../core/crm/blob-store.js';
import { createCrmBackend, type OpenCrmBackend } from '../../core/crm/crm-backend.js';

const open: OpenCrmBackend[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const b of open.splice(0)) await b.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function crm(): Promise<{ crm: OpenCrmBackend; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'crm-attachments-'));
  dirs.push(dir);
  const b = await createCrmBackend(dir);
  open.push(b);
  return { crm: b, dir };
}

function value<T = { id: string }>(r: BackendResult): T {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}: ${r.error.message}`);
  return r.value as T;
}

function error(r: BackendResult): { kind: string; code: string; message: string } {
  if (r.ok) throw new Error(`expected an error, got ${JSON.stringify(r.value).slice(0, 200)}`);
  return r.error;
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const CHUNK = 512 * 1024;

/** Every file under `dir` whose bytes contain `needle`. */
function filesContaining(dir: string, needle: Buffer | string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...filesContaining(path, needle));
    else if (readFileSync(path).includes(needle)) out.push(path);
  }
  return out;
}

/** Uploads `bytes` in 512 KiB chunks (last first, to show order does not matter) and attaches it. */
async function attachChunked(
  b: OpenCrmBackend,
  record: { kind: string; id: string },
  name: string,
  bytes: Buffer,
): Promise<AttachmentRow> {
  const uploadId = `up-${randomBytes(6).toString('hex')}`;
  const n = Math.ceil(bytes.length / CHUNK);
  for (let i = n - 1; i >= 0; i--) {
    const base64 = bytes.subarray(i * CHUNK, (i + 1) * CHUNK).toString('base64');
    const request = { command: 'AttachmentUploadChunk', input: { uploadId, index: i, base64 } };
    expect(JSON.stringify(request).length).toBeLessThan(1024 * 1024);
    value(await b.execute(request));
  }
  return value<AttachmentRow>(
    await b.execute({
      command: 'AddAttachment',
      input: { record, name, mime: 'application/pdf', uploadId, sha256: sha(bytes) },
    }),
  );
}

/** Reads an attachment back chunk by chunk until `eof`. */
async function readAll(b: OpenCrmBackend, id: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  let offset = 0;
  for (;;) {
    const c = value<AttachmentChunk>(await b.query({ query: 'attachment.read', params: { id, offset } }));
    parts.push(Buffer.from(c.base64, 'base64'));
    offset += c.length;
    if (c.eof) return Buffer.concat(parts);
  }
}

describe('attachments', () => {
  it('adds a small file in one request, stores it by hash beside the logs, dedups, lists and reads back equal bytes', async () => {
    const { crm: b, dir } = await crm();
    const c = value(await b.execute({ command: 'CreateContact', input: { firstName: 'Ana' } }));
    const d = value(await b.execute({ command: 'CreateCompany', input: { name: 'Acme' } }));
    const bytes = randomBytes(70_000);
    const a1 = value<AttachmentRow>(
      await b.execute({
        command: 'AddAttachment',
        input: {
          record: { kind: 'contact', id: c.id },
          name: '../../etc/Con\u0000tract .pdf',
          base64: bytes.toString('base64'),
        },
      }),
    );
    expect(a1).toMatchObject({
      name: 'Contract .pdf',
      mime: 'application/octet-stream',
      size: 70_000,
      sha256: sha(bytes),
    });
    const path = blobPath(dir, sha(bytes));
    expect(path).toBe(join(dir, 'attachments', sha(bytes).slice(0, 2), sha(bytes)));
    expect(readFileSync(path).equals(bytes)).toBe(true);

    const a2 = value<AttachmentRow>(
      await b.execute({
        command: 'AddAttachment',
        input: {
          record: { kind: 'company', id: d.id },
          name: 'copy.bin',
          mime: 'Application/Octet-Stream',
          base64: bytes.toString('base64'),
        },
      }),
    );
    expect(a2.sha256).toBe(a1.sha256);
    expect(filesContaining(join(dir, 'attachments'), bytes.subarray(0, 64))).toEqual([path]);

    const list = value<AttachmentRow[]>(
      await b.query({ query: 'attachment.list', params: { kind: 'contact', id: c.id } }),
    );
    expect(list.map((r) => r.id)).toEqual([a1.id]);
    expect((await readAll(b, a1.id)).equals(bytes)).toBe(true);
  });

  it('uploads a 3 MB file in chunks under the request limit and reads it back in 512 KiB chunks', async () => {
    const { crm: b, dir } = await crm();
    const c = value(await b.execute({ command: 'CreateContact', input: { firstName: 'Bo' } }));
    const bytes = randomBytes(3 * 1024 * 1024 + 123);
    const a = await attachChunked(b, { kind: 'contact', id: c.id }, 'scan.pdf', bytes);
    expect(a.size).toBe(bytes.length);
    expect(readdirSync(join(dir, 'attachments', 'uploads'))).toEqual([]);
    const first = value<AttachmentChunk>(await b.query({ query: 'attachment.read', params: { id: a.id } }));
    expect(first).toMatchObject({ offset: 0, length: CHUNK, eof: false, mime: 'application/pdf' });
    expect((await readAll(b, a.id)).equals(bytes)).toBe(true);
  });

  it('AddAttachment resent with its id (after its upload is gone) answers with the first result and adds nothing', async () => {
    const { crm: b } = await crm();
    const c = value(await b.execute({ command: 'CreateContact', input: { firstName: 'Flo' } }));
    const record = { kind: 'contact', id: c.id };
    const bytes = randomBytes(CHUNK + 10);
    for (const [index, part] of [bytes.subarray(0, CHUNK), bytes.subarray(CHUNK)].entries()) {
      const input = { uploadId: 'retry-upload', index, base64: part.toString('base64') };
      value(await b.execute({ command: 'AttachmentUploadChunk', input }));
    }
    const add = {
      command: 'AddAttachment',
      input: { id: 'att-1', record, name: 'a.bin', uploadId: 'retry-upload' },
    };
    const first = value<AttachmentRow & { duplicate: boolean }>(await b.execute(add));
    const again = value<AttachmentRow & { duplicate: boolean }>(await b.execute(add));
    expect([first.duplicate, again.duplicate]).toEqual([false, true]);
    expect([first.sha256, again.sha256]).toEqual([sha(bytes), sha(bytes)]);
    expect(value<AttachmentRow[]>(await b.query({ query: 'attachment.list', params: record }))).toHaveLength(
      1,
    );
  });

  it('refuses an incomplete upload, a wrong checksum, a missing record, a too large upload, a read past the end', async () => {
    const { crm: b, dir } = await crm();
    const c = value(await b.execute({ command: 'CreateContact', input: { firstName: 'Cy' } }));
    const record = { kind: 'contact', id: c.id };
    const chunk = randomBytes(1000).toString('base64');
    value(
      await b.execute({
        command: 'AttachmentUploadChunk',
        input: { uploadId: 'gappy-upload', index: 1, base64: chunk },
      }),
    );
    expect(
      error(
        await b.execute({ command: 'AddAttachment', input: { record, name: 'x', uploadId: 'gappy-upload' } }),
      ).code,
    ).toBe('ATTACHMENT_UPLOAD_INCOMPLETE');
    expect(
      error(
        await b.execute({ command: 'AddAttachment', input: { record, name: 'x', uploadId: 'never-sent' } }),
      ).code,
    ).toBe('ATTACHMENT_UPLOAD_NOT_FOUND');
    const bad = error(
      await b.execute({
        command: 'AddAttachment',
        input: { record, name: 'x', base64: chunk, sha256: '0'.repeat(64) },
      }),
    );
    expect(bad.code).toBe('ATTACHMENT_CHECKSUM_MISMATCH');
    expect(existsSync(blobPath(dir, sha(Buffer.from(chunk, 'base64'))))).toBe(false);
    expect(
      error(
        await b.execute({
          command: 'AddAttachment',
          input: { record: { kind: 'deal', id: 'nope' }, name: 'x', base64: chunk },
        }),
      ).code,
    ).toBe('LINKED_RECORD_NOT_FOUND');

    // 201 chunks of 512 KiB would be over 100 MiB: the chunk that crosses the limit is refused and the upload dropped.
    const big = Buffer.alloc(CHUNK, 7).toString('base64');
    let refused: { code: string; message: string } | undefined;
    for (let i = 0; i < 201 && !refused; i++) {
      const r = await b.execute({
        command: 'AttachmentUploadChunk',
        input: { uploadId: 'too-big-upload', index: i, base64: big },
      });
      if (!r.ok) refused = r.error;
    }
    expect(refused?.code).toBe('ATTACHMENT_TOO_LARGE');
    expect(refused?.message).toMatch(/limit is 100 MB/);
    expect(existsSync(join(dir, 'attachments', 'uploads', 'too-big-upload'))).toBe(false);

    const a = value<AttachmentRow>(
      await b.execute({ command: 'AddAttachment', input: { record, name: 'x', base64: chunk } }),
    );
    expect(error(await b.query({ query: 'attachment.read', params: { id: a.id, offset: 1001 } })).code).toBe(
      'INVALID_RANGE',
    );
  }, 60_000);

  it('a damaged or missing file gives a typed error that says what to do', async () => {
    const { crm: b, dir } = await crm();
    const c = value(await b.execute({ command: 'CreateContact', input: { firstName: 'Di' } }));
    const bytes = randomBytes(5000);
    const a = value<AttachmentRow>(
      await b.execute({
        command: 'AddAttachment',
        input: { record: { kind: 'contact', id: c.id }, name: 'id.png', base64: bytes.toString('base64') },
      }),
    );
    const path = blobPath(dir, a.sha256);
    const flipped = Buffer.from(bytes);
    flipped[100] = flipped[100]! ^ 0xff;
    writeFileSync(path, flipped);
    const corrupt = error(await b.query({ query: 'attachment.read', params: { id: a.id } }));
    expect(corrupt).toMatchObject({ kind: 'domain', code: 'ATTACHMENT_FILE_CORRUPT' });
    expect(corrupt.message).toMatch(/“id.png” is damaged.*add the file again/);
    writeFileSync(path, bytes.subarray(0, 10));
    expect(error(await b.query({ query: 'attachment.read', params: { id: a.id, offset: 4096 } })).code).toBe(
      'ATTACHMENT_FILE_CORRUPT',
    );
    rmSync(path);
    expect(error(await b.query({ query: 'attachment.read', params: { id: a.id } })).code).toBe(
      'ATTACHMENT_FILE_MISSING',
    );
  });

  it('removes to the trash and restores; the file stays while in the trash', async () => {
    const { crm: b, dir } = await crm();
    const c = value(await b.execute({ command: 'CreateContact', input: { firstName: 'Ed' } }));
    const bytes = randomBytes(100);
    const a = value<AttachmentRow>(
      await b.execute({
        command: 'AddAttachment',
        input: { record: { kind: 'contact', id: c.id }, name: 'n.txt', base64: bytes.toString('base64') },
      }),
    );
    const list = async (trash?: string) =>
      value<AttachmentRow[]>(
        await b.query({
          query: 'attachment.list',
          params: { kind: 'contact', id: c.id, ...(trash ? { trash } : {}) },
        }),
      ).map((r) => r.id);
    value(await b.execute({ command: 'RemoveAttachment', input: { id: a.id } }));
    expect(await list()).toEqual([]);
    expect(await list('only')).toEqual([a.id]);
    expect(existsSync(blobPath(dir, a.sha256))).toBe(true);
    value(await b.execute({ command: 'RestoreAttachment', input: { id: a.id } }));
    expect(await list()).toEqual([a.id]);
    expect(error(await b.execute({ command: 'RemoveAttachment', input: { id: 'nope' } })).kind).toBe(
      'not_found',
    );
  });

  it("forgetting a contact deletes its and its notes' files and attachment streams, keeping a file another record still has", async () => {
    const { crm: b, dir } = await crm();
    const keep = value(await b.execute({ command: 'CreateContact', input: { firstName: 'Keeper' } }));
    const c = value(
      await b.execute({
        command: 'CreateContact',
        input: { firstName: 'Xaviera', emails: ['x@private.example'] },
      }),
    );
    const note = value(
      await b.execute({
        command: 'CreateNote',
        input: { body: 'passport scan attached', link: { kind: 'contact', id: c.id } },
      }),
    );
    const secret = Buffer.from(`PASSPORT-OF-XAVIERA-${randomBytes(8).toString('hex')}`.repeat(100));
    const onNote = Buffer.from(`NOTE-FILE-${randomBytes(8).toString('hex')}`.repeat(50));
    const shared = randomBytes(2000);
    await attachChunked(b, { kind: 'contact', id: c.id }, 'xaviera-passport.pdf', secret);
    value(
      await b.execute({
        command: 'AddAttachment',
        input: {
          record: { kind: 'note', id: note.id },
          name: 'xaviera-note.txt',
          base64: onNote.toString('base64'),
        },
      }),
    );
    value(
      await b.execute({
        command: 'AddAttachment',
        input: {
          record: { kind: 'contact', id: c.id },
          name: 'xaviera-shared.bin',
          base64: shared.toString('base64'),
        },
      }),
    );
    const kept = value<AttachmentRow>(
      await b.execute({
        command: 'AddAttachment',
        input: {
          record: { kind: 'contact', id: keep.id },
          name: 'keeper.bin',
          base64: shared.toString('base64'),
        },
      }),
    );
    expect(filesContaining(dir, secret.subarray(0, 40)).length).toBe(1);

    value(await b.execute({ command: 'ForgetContact', input: { id: c.id } }));
    expect(filesContaining(dir, secret.subarray(0, 40))).toEqual([]);
    expect(filesContaining(dir, onNote.subarray(0, 30))).toEqual([]);
    expect(filesContaining(dir, 'xaviera-')).toEqual([]);
    expect(
      value<AttachmentRow[]>(
        await b.query({ query: 'attachment.list', params: { kind: 'contact', id: c.id } }),
      ),
    ).toEqual([]);
    // The same content attached to another contact stays.
    expect((await readAll(b, kept.id)).equals(shared)).toBe(true);
  });

  it('emptying the trash deletes the files and attachment streams of the purged records and their notes, keeping shared files', async () => {
    const { crm: b, dir } = await crm();
    const attach = async (record: { kind: string; id: string }, name: string, bytes: Buffer) =>
      value<AttachmentRow>(
        await b.execute({
          command: 'AddAttachment',
          input: { record, name, base64: bytes.toString('base64') },
        }),
      );
    const gone = value(await b.execute({ command: 'CreateContact', input: { firstName: 'Gone' } }));
    const co = value(await b.execute({ command: 'CreateCompany', input: { name: 'Gone Co' } }));
    const live = value(await b.execute({ command: 'CreateContact', input: { firstName: 'Live' } }));
    const stays = value(await b.execute({ command: 'CreateContact', input: { firstName: 'Trashed only' } }));
    const note = value(
      await b.execute({
        command: 'CreateNote',
        input: { body: 'scan', link: { kind: 'contact', id: gone.id } },
      }),
    );
    const [own1, onNote, onCompany, shared, sharedTrashed, inTrashOnly] = Array.from({ length: 6 }, () =>
      randomBytes(3000),
    ) as [Buffer, Buffer, Buffer, Buffer, Buffer, Buffer];
    const a1 = await attach({ kind: 'contact', id: gone.id }, 'own.bin', own1);
    const a2 = await attach({ kind: 'note', id: note.id }, 'note.bin', onNote);
    const a3 = await attach({ kind: 'company', id: co.id }, 'company.bin', onCompany);
    await attach({ kind: 'contact', id: gone.id }, 'shared.bin', shared);
    await attach({ kind: 'contact', id: gone.id }, 'shared-trashed.bin', sharedTrashed);
    const keptShared = await attach({ kind: 'contact', id: live.id }, 'shared.bin', shared);
    // A copy that is itself in the attachment trash still needs its file (it can be restored).
    const keptInTrash = await attach({ kind: 'contact', id: live.id }, 'copy.bin', sharedTrashed);
    value(await b.execute({ command: 'RemoveAttachment', input: { id: keptInTrash.id } }));
    const notPurged = await attach({ kind: 'contact', id: stays.id }, 'later.bin', inTrashOnly);

    value(await b.execute({ command: 'TrashContact', input: { id: gone.id } }));
    value(await b.execute({ command: 'TrashCompany', input: { id: co.id } }));
    value(await b.execute({ command: 'TrashContact', input: { id: stays.id } }));
    value(await b.execute({ command: 'EmptyTrash', input: { ids: [gone.id, co.id] } }));

    for (const bytes of [own1, onNote, onCompany]) expect(existsSync(blobPath(dir, sha(bytes)))).toBe(false);
    for (const a of [a1, a2, a3]) {
      expect(existsSync(join(dir, 'streams', 'attachment', a.id))).toBe(false);
      expect(error(await b.query({ query: 'attachment.read', params: { id: a.id } })).code).toBe('NOT_FOUND');
    }
    expect(
      value<AttachmentRow[]>(
        await b.query({
          query: 'attachment.list',
          params: { kind: 'contact', id: gone.id, trash: 'include' },
        }),
      ),
    ).toEqual([]);
    expect((await readAll(b, keptShared.id)).equals(shared)).toBe(true);
    expect((await readAll(b, keptInTrash.id)).equals(sharedTrashed)).toBe(true);
    // The record still in the trash keeps its file until it is emptied too.
    expect((await readAll(b, notPurged.id)).equals(inTrashOnly)).toBe(true);
    value(await b.execute({ command: 'EmptyTrash', input: {} }));
    expect(existsSync(blobPath(dir, sha(inTrashOnly)))).toBe(false);
    expect(existsSync(blobPath(dir, sha(shared)))).toBe(true);
  });

  it('sanitises names: last path segment, no control or reserved characters, length capped keeping the extension', () => {
    expect(sanitizeFileName('C:\\Users\\ana\\report:final?.pdf')).toBe('reportfinal.pdf');
    expect(sanitizeFileName(' ..\u202Egnp.exe ')).toBe('gnp.exe');
    expect(sanitizeFileName('...')).toBe('attachment');
    const long = sanitizeFileName(`${'a'.repeat(300)}.docx`);
    expect(long).toHaveLength(200);
    expect(long.endsWith('.docx')).toBe(true);
  });
});
