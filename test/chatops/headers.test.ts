import { describe, expect, it } from 'vitest';
import { headerValue } from '../../shared/runtime/http';

describe('headerValue', () => {
  const headers = { 'X-Slack-Signature': 'v0=abc', timestamp: '1577262236757', 'x-empty': '' };

  it.each([
    ['X-Slack-Signature', 'v0=abc'],
    ['x-slack-signature', 'v0=abc'],
    ['X-SLACK-SIGNATURE', 'v0=abc'],
    ['Timestamp', '1577262236757'],
    ['sign', undefined],
    ['X-Empty', undefined],
  ])('looks up %s case-insensitively → %s', (name, expected) => {
    expect(headerValue(headers, name)).toBe(expected);
  });

  it('takes the first of a repeated response header', () => {
    expect(headerValue({ 'x-fc-request-id': ['r-1', 'r-2'] }, 'X-FC-Request-Id')).toBe('r-1');
  });
});
