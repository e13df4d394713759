/**
 * Generators of input no one should send: random JSON values and bytes, text near and over the
 * 64 KB limit, deep nesting, prototype keys, wrong encodings, cut-off JSON. None of it is a valid
 * request, by construction.
 */
import fc from 'fast-check';
import { validPlan } from './plans';

export const BODY_LIMIT = 64 * 1024;

export interface Garbage {
  /** What kind of garbage, for the summary. */
  readonly what: string;
  /** Text, or bytes that need not be UTF-8. */
  readonly body: string | Buffer;
}

const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype'] as const;

/** `key` inserted into the JSON object `text` at `depth` (0 = top level; deeper = inside objects and lists). */
export function withKeyAt(text: string, key: string, depth: number): string {
  let value = `{"${key}":{"polluted":true}}`;
  for (let level = 1; level < depth; level++) value = level % 2 ? `[${value}]` : `{"nested":${value}}`;
  return depth === 0 ? `{"${key}":{"polluted":true},${text.slice(1)}` : `{"extra":${value},${text.slice(1)}`;
}

const json = fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value) ?? 'null');
const nearLimit = fc.integer({ min: BODY_LIMIT - 24, max: BODY_LIMIT + 24 });

export const garbageBody: fc.Arbitrary<Garbage> = fc.oneof(
  json.map((body) => ({ what: 'a random JSON value', body })),
  fc.string({ unit: 'binary', maxLength: 300 }).map((body) => ({ what: 'random text', body })),
  fc.uint8Array({ maxLength: 600 }).map((bytes) => ({ what: 'random bytes', body: Buffer.from(bytes) })),
  nearLimit.map((size) => ({ what: 'a JSON body near 64 KB', body: `{"Description":"${'d'.repeat(size - 18)}"}` })),
  fc
    .tuple(nearLimit, fc.constantFrom('x', 'é', '€', '😀'))
    .map(([size, char]) => ({ what: 'text near 64 KB', body: char.repeat(Math.ceil(size / Buffer.byteLength(char))) })),
  fc.tuple(fc.constantFrom(64, 1_000, 5_000, 20_000, 32_000), fc.constantFrom('[', '{"a":')).map(([depth, open]) => ({
    what: 'deep nesting',
    body: open.repeat(depth) + (open === '[' ? '' : '1') + (open === '[' ? ']' : '}').repeat(depth),
  })),
  fc.tuple(validPlan, fc.constantFrom(...PROTOTYPE_KEYS), fc.integer({ min: 0, max: 6 })).map(([plan, key, depth]) => ({
    what: `a valid plan with "${key}" at depth ${depth}`,
    body: withKeyAt(JSON.stringify(plan), key, depth),
  })),
  fc.tuple(validPlan, fc.constantFrom('utf16le', 'bom', 'utf16le-bom')).map(([plan, encoding]) => {
    const text = JSON.stringify(plan);
    const body =
      encoding === 'bom'
        ? Buffer.from(`\uFEFF${text}`)
        : Buffer.concat([encoding === 'utf16le-bom' ? Buffer.from([0xff, 0xfe]) : Buffer.alloc(0), Buffer.from(text, 'utf16le')]);
    return { what: `a valid plan in ${encoding}`, body };
  }),
  fc.tuple(validPlan, fc.double({ min: 0, max: 1, noNaN: true })).map(([plan, at]) => {
    const text = JSON.stringify(plan);
    return { what: 'a valid plan cut short', body: text.slice(0, Math.floor(at * (text.length - 1))) };
  }),
);

/** A JSON value in place of a whole FC event (or random bytes): nothing the handler recognises. */
export const garbageEvent: fc.Arbitrary<Garbage> = fc.oneof(
  json.map((body) => ({ what: 'a random JSON value', body })),
  fc.uint8Array({ maxLength: 300 }).map((bytes) => ({ what: 'random bytes', body: Buffer.from(bytes) })),
  fc
    .constantFrom(
      '{"specversion":"1.0","id":"x"}',
      '{"specversion":1,"id":"x","source":"s"}',
      '{"triggerTime":"2025-01-01T00:00:00Z"}',
      '{"triggerName":7,"triggerTime":"t"}',
      '{"rawPath":"/bandwidth-plans"}',
      '{"chatopsJob":"{}"}',
      '[]',
      '[{"specversion":"1.0","id":"x","source":"s"},{"specversion":"1.0"}]',
      '',
      'null',
    )
    .map((body) => ({ what: 'an almost-recognisable event', body })),
  fc.tuple(fc.constantFrom(...PROTOTYPE_KEYS), fc.integer({ min: 0, max: 4 })).map(([key, depth]) => ({
    what: `an event with "${key}"`,
    body: withKeyAt('{"specversion":"1.0","id":"p","source":"s","data":{}}', key, depth),
  })),
);
