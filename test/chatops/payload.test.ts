import { describe, expect, it } from 'vitest';
import { parseJsonObject, readConstant, readNumber, readStrings, valueAt } from '../../shared/sources/chat/payload';

describe('parseJsonObject', () => {
  it.each([
    ['{"a":1}', { ok: true, value: { a: 1 } }],
    ['{"a":{"__proto__":{"x":1}}}', { ok: false, issue: { path: '', message: 'must not contain a "__proto__" key' } }],
    ['{"constructor":{"prototype":{}}}', { ok: false, issue: { path: '', message: 'must not contain a "prototype" key' } }],
    ['null', { ok: false, issue: { path: '', message: 'must be a JSON object' } }],
    ['"text"', { ok: false, issue: { path: '', message: 'must be a JSON object' } }],
    ['{"a":', { ok: false, issue: { path: '', message: 'must be valid JSON' } }],
  ])('%s', (text, expected) => {
    expect(parseJsonObject(text)).toEqual(expected);
  });

  it('names the given path', () => {
    expect(parseJsonObject('x', 'event.message.content')).toEqual({ ok: false, issue: { path: 'event.message.content', message: 'must be valid JSON' } });
  });
});

describe('valueAt', () => {
  const root = { a: { b: { c: 'deep' }, list: ['x'] } };

  it.each([
    ['a.b.c', 'deep'],
    ['a.b', { c: 'deep' }],
    ['a.missing', undefined],
    ['a.list.0', undefined],
    ['a.toString', undefined],
    ['a.b.c.length', undefined],
    ['__proto__', undefined],
  ])('%s → %j', (path, expected) => {
    expect(valueAt(root, path)).toEqual(expected);
  });
});

describe('readers', () => {
  const root = { s: 'text', empty: '', n: 3, nan: Number.NaN, type: 'text' };

  it.each([
    [readStrings(root, ['s']), { ok: true, value: { s: 'text' } }],
    [readStrings(root, ['s', 'empty']), { ok: false, issue: { path: 'empty', message: 'must be a non-empty string' } }],
    [readStrings(root, ['n']), { ok: false, issue: { path: 'n', message: 'must be a non-empty string' } }],
    [readStrings(root, ['none']), { ok: false, issue: { path: 'none', message: 'is required' } }],
    [readNumber(root, 'n'), { ok: true, value: 3 }],
    [readNumber(root, 'nan'), { ok: false, issue: { path: 'nan', message: 'must be a number' } }],
    [readNumber(root, 's'), { ok: false, issue: { path: 's', message: 'must be a number' } }],
    [readNumber(root, 'none'), { ok: false, issue: { path: 'none', message: 'is required' } }],
    [readConstant(root, 'type', 'text'), { ok: true, value: 'text' }],
    [readConstant(root, 'type', 'image'), { ok: false, issue: { path: 'type', message: 'must be "image"' } }],
    [readConstant(root, 'none', 'text'), { ok: false, issue: { path: 'none', message: 'is required' } }],
  ])('case %#', (actual, expected) => {
    expect(actual).toEqual(expected);
  });
});
