import { describe, expect, it } from 'vitest';
import {
  createEvent,
  InvalidEventError,
  parseEvent,
  serializeEvent,
  toEvent,
  type Event,
} from '../../core/log/index.js';
import { dummyEvent } from '../helpers/log.js';

const roundTrip = (e: Event): Event => parseEvent(serializeEvent(e));

describe('event serialization', () => {
  it('round-trips through JSON', () => {
    const e = createEvent('todo_added', { text: 'buy milk' }, { ts: 1700000000 });
    expect(roundTrip(e)).toEqual(e);
  });

  it('preserves type and timestamp', () => {
    const back = roundTrip(createEvent('x.y-z', null, { ts: 42 }));
    expect(back.type).toBe('x.y-z');
    expect(back.ts).toBe(42);
  });

  it.each([
    ['nested objects', { a: { b: { c: [1, { d: 'e' }] } } }],
    ['arrays', [1, 'two', null, true, [3]]],
    ['null', null],
    ['numbers', { int: 42, neg: -7, float: 99.99, small: 0.1 }],
    ['empty object', {}],
    ['plain string', 'just a string'],
    ['boolean', false],
  ])('keeps arbitrary data: %s', (_name, data) => {
    expect(roundTrip(createEvent('t', data, { ts: 1 })).data).toEqual(data);
  });

  it('serializes to exactly one line, with simple and complex data', () => {
    for (const data of [{ a: 1 }, { text: 'line1\nline2\r\nline3', nested: { s: '\n\n' }, arr: ['\n'] }]) {
      const line = serializeEvent(createEvent('t', data, { ts: 1 }));
      expect(line).not.toContain('\n');
      expect(line).not.toContain('\r');
    }
  });

  it('keeps embedded newlines in data', () => {
    const data = { text: 'a\nb\r\nc\td' };
    expect(roundTrip(createEvent('t', data, { ts: 1 })).data).toEqual(data);
  });

  it.each([
    ['unicode', 'héllo wörld — 日本語 한국어 🎉👩‍💻 𝄞'],
    ['escaped quotes', 'say "hi" and \\"bye\\"'],
    ['mixed', 'quote " backslash \\ slash / nl \n tab \t ctrl \u0001 del \u007f ls \u2028 ps \u2029'],
  ])('keeps special characters: %s', (_name, s) => {
    expect(roundTrip(createEvent('t', { s }, { ts: 1 })).data).toEqual({ s });
  });

  it('writes the fields in the Rust order type, data, ts, id, actor, meta', () => {
    const e = createEvent('t', { b: 1 }, { ts: 5, meta: { m: 1 }, actor: 'ana', id: 'e-1' });
    expect(serializeEvent(e)).toBe(
      '{"type":"t","data":{"b":1},"ts":5,"id":"e-1","actor":"ana","meta":{"m":1}}',
    );
  });

  it('uses the key "type" (not event_type)', () => {
    const line = serializeEvent(dummyEvent('abc'));
    expect(JSON.parse(line)).toHaveProperty('type', 'abc');
    expect(line).not.toContain('event_type');
  });

  it('writes U+2028, U+2029 and DEL raw and control characters as lowercase \\u00XX, like serde_json', () => {
    const line = serializeEvent(createEvent('t', { s: '\u2028\u2029\u007f\u0001\u001f' }, { ts: 1 }));
    expect(line).toBe('{"type":"t","data":{"s":"\u2028\u2029\u007f\\u0001\\u001f"},"ts":1}');
  });

  it('writes undefined data as null (data is required on read)', () => {
    const line = serializeEvent({ type: 't', data: undefined, ts: 1 });
    expect(line).toBe('{"type":"t","data":null,"ts":1}');
    expect(parseEvent(line).data).toBeNull();
  });

  it('refuses data that JSON cannot represent instead of writing a corrupt line', () => {
    expect(() => serializeEvent({ type: 't', data: () => 1, ts: 1 })).toThrow(InvalidEventError);
    expect(() => serializeEvent({ type: 't', data: Symbol('s'), ts: 1 })).toThrow(/JSON value/);
  });

  it('writes ts as an integer number of seconds', () => {
    expect(serializeEvent({ type: 't', data: null, ts: 1.9 })).toBe('{"type":"t","data":null,"ts":1}');
  });

  it('refuses to serialize a non-string type or a non-finite ts', () => {
    expect(() => serializeEvent({ type: 5 as unknown as string, data: null, ts: 1 })).toThrow(
      InvalidEventError,
    );
    expect(() => serializeEvent({ type: 't', data: null, ts: Number.NaN })).toThrow(InvalidEventError);
    expect(() => serializeEvent({ type: 't', data: null, ts: Infinity })).toThrow(/ts/);
  });

  it('marks a non-final batch line with a trailing "more":true, which parseEvent strips', () => {
    const line = serializeEvent(createEvent('t', 1, { ts: 1 }), true);
    expect(line).toBe('{"type":"t","data":1,"ts":1,"more":true}');
    expect(parseEvent(line)).toEqual({ type: 't', data: 1, ts: 1 });
  });
});

describe('event parsing', () => {
  it.each([
    ['{}', /type/],
    ['{"type":"t"}', /data/],
    ['{"type":"t","ts":1}', /data/],
    ['{"type":"t","data":null}', /ts/],
    ['{"data":null,"ts":1}', /type/],
    ['{"type":1,"data":null,"ts":1}', /type/],
    ['{"type":"t","data":null,"ts":"1"}', /ts/],
    ['[1,2]', /object/],
    ['null', /object/],
    ['{"type":"t"', /JSON/],
    ['not json', /JSON/],
  ])('rejects %s with a typed InvalidEventError', (line, message) => {
    let caught: unknown;
    try {
      parseEvent(line);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(InvalidEventError);
    expect((caught as InvalidEventError).code).toBe('INVALID_EVENT');
    expect((caught as Error).message).toMatch(message);
  });

  it('accepts data: null (a fieldless event)', () => {
    expect(parseEvent('{"type":"fieldless","data":null,"ts":1700000010}')).toEqual({
      type: 'fieldless',
      data: null,
      ts: 1700000010,
    });
  });

  it('deserializes raw JSON written by hand', () => {
    const e = parseEvent('{"type":"user_created","data":{"name":"Ana","age":30},"ts":1234567890}');
    expect(e).toEqual({ type: 'user_created', data: { name: 'Ana', age: 30 }, ts: 1234567890 });
  });

  it('ignores unknown extra fields as the Rust crate does', () => {
    const e = parseEvent('{"type":"t","data":1,"ts":1,"seq":7,"v":2}');
    expect(e.type).toBe('t');
    expect(e.data).toBe(1);
  });

  it('toEvent validates an already parsed value', () => {
    const v = { type: 't', data: 1, ts: 2 };
    expect(toEvent(v)).toBe(v);
    expect(() => toEvent({ type: 't', ts: 2 })).toThrow(InvalidEventError);
  });
});

describe('createEvent and metadata', () => {
  it('sets ts to now in Unix seconds', () => {
    const before = Math.floor(Date.now() / 1000);
    const e = createEvent('t', null);
    const after = Math.floor(Date.now() / 1000);
    expect(Number.isInteger(e.ts)).toBe(true);
    expect(e.ts).toBeGreaterThanOrEqual(before);
    expect(e.ts).toBeLessThanOrEqual(after);
  });

  it('sets type and data', () => {
    const e = createEvent('todo_added', { text: 'x' }, { ts: 3 });
    expect(e).toEqual({ type: 'todo_added', data: { text: 'x' }, ts: 3 });
  });

  it('leaves id, actor and meta absent by default, and out of the line (never null)', () => {
    const e = createEvent('t', 1, { ts: 1 });
    expect('id' in e || 'actor' in e || 'meta' in e).toBe(false);
    expect(serializeEvent(e)).toBe('{"type":"t","data":1,"ts":1}');
  });

  it('sets id, actor and meta when given', () => {
    const e = createEvent('t', 1, { ts: 1, id: 'evt-1', actor: 'user_42', meta: { correlation_id: 'c-1' } });
    expect(e.id).toBe('evt-1');
    expect(e.actor).toBe('user_42');
    expect(e.meta).toEqual({ correlation_id: 'c-1' });
    expect(roundTrip(e)).toEqual(e);
  });

  it('writes only the metadata that is set (partial metadata)', () => {
    const line = serializeEvent(createEvent('t', 1, { ts: 1, id: 'only-id' }));
    expect(line).toBe('{"type":"t","data":1,"ts":1,"id":"only-id"}');
  });

  it('reads legacy lines without metadata and a mixed log of old and new lines', () => {
    const lines = [
      '{"type":"a","data":null,"ts":1}',
      '{"type":"b","data":{},"ts":2,"id":"x","actor":"y","meta":{"k":"v"}}',
    ];
    const [old, neu] = lines.map(parseEvent);
    expect(old).toEqual({ type: 'a', data: null, ts: 1 });
    expect(old!.id).toBeUndefined();
    expect(neu).toEqual({ type: 'b', data: {}, ts: 2, id: 'x', actor: 'y', meta: { k: 'v' } });
  });

  it('dummyEvent has the fixed Rust helper shape', () => {
    expect(dummyEvent('d')).toEqual({ type: 'd', data: { key: 'value' }, ts: 1000 });
  });
});
