import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeXmlText } from '../../shared/clients/mns/xml';
import {
  type BandwidthPlanCloudEvent,
  escapedJsonBytes,
  MNS_MAX_MESSAGE_BYTES,
  serialiseWithinLimit,
  toCloudEvent,
} from '../../shared/core/notifications/cloudevent';
import type { Outcome } from '../../shared/core/outcome';
import { CREATED, EVENT_CONTEXT, FAILED, PENDING, REJECTED, REQUEST } from './fixtures';

const SOURCE = 'acs:fc:cn-hangzhou:1234567890123456:functions/create-bandwidth-plan';
const ENVELOPE = {
  specversion: '1.0',
  id: 'evt-0001',
  source: SOURCE,
  time: '2025-01-02T03:04:05.000Z',
  datacontenttype: 'application/json',
} as const;

const escapedSize = (json: string) => Buffer.byteLength(escapeXmlText(json), 'utf8');

describe('toCloudEvent', () => {
  it.each<{ outcome: Outcome; expected: BandwidthPlanCloudEvent }>([
    {
      outcome: CREATED,
      expected: {
        ...ENVELOPE,
        type: 'cen.bandwidthplan.created',
        subject: 'cenbwp-abc',
        data: {
          outcome: 'created',
          trigger: { kind: 'http', id: 'req-1' },
          requester: '203.0.113.7',
          request: REQUEST,
          result: { CenBandwidthPackageId: 'cenbwp-abc', CenBandwidthPackageOrderId: 'order-9', Status: 'Idle', RequestId: 'cen-req-1' },
          clientToken: 'ct-123',
          fcRequestId: 'fc-1',
          notes: [],
        },
      },
    },
    {
      outcome: PENDING,
      expected: {
        ...ENVELOPE,
        type: 'cen.bandwidthplan.pending',
        subject: 'cenbwp-def',
        data: {
          outcome: 'pending',
          trigger: { kind: 'timer', id: 'nightly@2025-01-02T03:04:05Z' },
          request: { ...REQUEST, ClientToken: 'ct-456', BandwidthPackageChargeType: 'PREPAY' },
          result: { CenBandwidthPackageId: 'cenbwp-def', Status: 'pending', RequestId: 'cen-req-2' },
          clientToken: 'ct-456',
          fcRequestId: 'fc-2',
          notes: ['The PREPAY order awaits payment in the console.'],
        },
      },
    },
    {
      outcome: FAILED,
      expected: {
        ...ENVELOPE,
        type: 'cen.bandwidthplan.failed',
        subject: 'ct-789',
        data: {
          outcome: 'failed',
          trigger: { kind: 'eventbridge', id: 'acs.custom/evt-7' },
          request: { ...REQUEST, ClientToken: 'ct-789' },
          error: { code: 'Operation.Blocking', message: 'Another CEN operation is in progress.', requestId: 'cen-req-3', retryable: true },
          clientToken: 'ct-789',
          fcRequestId: 'fc-3',
          notes: [],
        },
      },
    },
    {
      outcome: REJECTED,
      expected: {
        ...ENVELOPE,
        type: 'cen.bandwidthplan.rejected',
        subject: 'msg-42',
        data: {
          outcome: 'rejected',
          trigger: { kind: 'slack', id: 'msg-42' },
          requester: 'slack:T1/U2',
          error: {
            code: 'InvalidParameter',
            message: 'Bandwidth: must be at least 2 Mbit/s',
            retryable: false,
            issues: [{ path: 'Bandwidth', message: 'must be at least 2 Mbit/s' }],
          },
          fcRequestId: 'fc-4',
          notes: [],
        },
      },
    },
  ])('describes a $outcome.kind outcome', ({ outcome, expected }) => {
    // Act
    const event = toCloudEvent(outcome, EVENT_CONTEXT);

    // Assess: toStrictEqual also refuses keys that are present but undefined.
    expect(event).toStrictEqual(expected);
    expect(Object.keys(event)).toEqual(['specversion', 'id', 'source', 'type', 'time', 'subject', 'datacontenttype', 'data']);
  });

  it.each([
    { name: 'the plan id first', outcome: CREATED, subject: 'cenbwp-abc' },
    { name: 'the outcome ClientToken without a plan', outcome: FAILED, subject: 'ct-789' },
    {
      name: "the request's ClientToken when the outcome has none",
      outcome: { ...FAILED, clientToken: undefined, request: { ...REQUEST, ClientToken: 'from-request' } },
      subject: 'from-request',
    },
    { name: 'the trigger id without either', outcome: REJECTED, subject: 'msg-42' },
  ])('takes as subject $name', ({ outcome, subject }) => {
    expect(toCloudEvent(outcome, EVENT_CONTEXT).subject).toBe(subject);
  });
});

describe('escapedJsonBytes', () => {
  it('counts exactly the UTF-8 bytes of the XML-escaped JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(escapedJsonBytes(value)).toBe(escapedSize(JSON.stringify(value)));
      }),
    );
  });
});

describe('serialiseWithinLimit', () => {
  it('leaves an event that fits as it is', () => {
    const event = toCloudEvent(CREATED, EVENT_CONTEXT);

    const serialised = serialiseWithinLimit(event);

    expect(serialised).toEqual({ json: JSON.stringify(event), event, truncated: false });
  });

  it('cuts an oversized description, marks the event truncated and says what was trimmed', () => {
    // Prepare: `&` grows five-fold when escaped, so the raw JSON fits but the escaped body does not.
    const description = '&'.repeat(20_000);
    const event = toCloudEvent({ ...CREATED, request: { ...REQUEST, Description: description } }, EVENT_CONTEXT);
    expect(Buffer.byteLength(JSON.stringify(event))).toBeLessThan(MNS_MAX_MESSAGE_BYTES);

    // Act
    const { json, truncated, event: sent } = serialiseWithinLimit(event);

    // Assess
    const parsed = JSON.parse(json) as BandwidthPlanCloudEvent;
    expect(truncated).toBe(true);
    expect(parsed).toEqual(sent);
    expect(escapedSize(json)).toBeLessThanOrEqual(MNS_MAX_MESSAGE_BYTES);
    expect(escapedSize(json)).toBeGreaterThan(MNS_MAX_MESSAGE_BYTES - 16);
    expect(parsed.data.truncated).toBe(true);
    expect(parsed.data.notes).toEqual(['Trimmed to fit the 65536-byte message limit: data.request.Description.']);
    expect(parsed.data.request?.Description).toMatch(/^&+…$/);
    expect({ ...parsed.data, request: { ...parsed.data.request, Description: undefined }, truncated: undefined, notes: [] }).toEqual({
      ...event.data,
      request: { ...event.data.request, Description: undefined },
    });
  });

  it('shortens a long issue list as a whole and keeps its head', () => {
    const issues = Array.from({ length: 5_000 }, (_, index) => ({ path: `Tag.${index + 1}.Key`, message: 'must not be empty' }));
    const event = toCloudEvent({ ...REJECTED, error: { ...REJECTED.error!, issues } }, EVENT_CONTEXT);

    const { json } = serialiseWithinLimit(event);

    const parsed = JSON.parse(json) as BandwidthPlanCloudEvent;
    const kept = parsed.data.error?.issues ?? [];
    expect(escapedSize(json)).toBeLessThanOrEqual(MNS_MAX_MESSAGE_BYTES);
    expect(kept.length).toBeGreaterThan(1_000);
    expect(kept).toEqual(issues.slice(0, kept.length));
    expect(parsed.data.notes).toEqual(['Trimmed to fit the 65536-byte message limit: data.error.issues.']);
  });

  it('cuts inside the one huge issue rather than dropping it', () => {
    const issues = [{ path: 'Name', message: 'x'.repeat(100_000) }];
    const event = toCloudEvent({ ...REJECTED, error: { ...REJECTED.error!, message: 'y'.repeat(100_000), issues } }, EVENT_CONTEXT);

    const { json } = serialiseWithinLimit(event);

    const parsed = JSON.parse(json) as BandwidthPlanCloudEvent;
    expect(escapedSize(json)).toBeLessThanOrEqual(MNS_MAX_MESSAGE_BYTES);
    expect(parsed.data.error?.issues).toHaveLength(1);
    expect(parsed.data.notes).toEqual(['Trimmed to fit the 65536-byte message limit: data.error.message, data.error.issues.0.message.']);
  });

  it('never splits a character made of two UTF-16 units', () => {
    const event = toCloudEvent({ ...CREATED, notes: ['🚀'.repeat(40_000)] }, EVENT_CONTEXT);

    const { json } = serialiseWithinLimit(event);

    const note = (JSON.parse(json) as BandwidthPlanCloudEvent).data.notes[0]!;
    expect(json).not.toMatch(/\\ud[89a-f]/i);
    expect(note).toMatch(/^(🚀)+…$/u);
  });

  it('honours a smaller topic limit', () => {
    const event = toCloudEvent({ ...FAILED, notes: ['n'.repeat(1_000)] }, EVENT_CONTEXT);

    const { json, truncated } = serialiseWithinLimit(event, 1_024);

    expect(truncated).toBe(true);
    expect(escapedSize(json)).toBeLessThanOrEqual(1_024);
    expect(escapedJsonBytes(JSON.parse(json))).toBe(escapedSize(json));
  });

  it('refuses a limit smaller than the envelope itself', () => {
    expect(() => serialiseWithinLimit(toCloudEvent(FAILED, EVENT_CONTEXT), 100)).toThrow(RangeError);
  });

  it('always fits the limit with valid JSON that keeps the routing attributes', () => {
    // Mostly ordinary text, now and then a field far beyond the limit, of characters that grow when escaped.
    const text = fc.oneof(
      { arbitrary: fc.string({ unit: 'grapheme', maxLength: 300 }), weight: 5 },
      { arbitrary: fc.string({ unit: 'binary', maxLength: 300 }), weight: 5 },
      {
        arbitrary: fc.constantFrom('&', '<>', '"\\', '🚀', 'a').chain((unit) => fc.integer({ min: 1, max: 30_000 }).map((count) => unit.repeat(count))),
        weight: 1,
      },
    );
    const outcome = fc.record({
      kind: fc.constantFrom('created', 'pending', 'failed', 'rejected' as const),
      trigger: fc.record({ kind: fc.constantFrom('http', 'eventbridge', 'timer', 'dingtalk', 'slack', 'lark' as const), id: text }),
      fcRequestId: text,
      clientToken: fc.option(text, { nil: undefined }),
      request: fc.option(
        fc.record({ Description: text, Name: text }).map((fields) => ({ ...REQUEST, ...fields })),
        { nil: undefined },
      ),
      error: fc.option(
        fc.record({
          code: text,
          message: text,
          retryable: fc.boolean(),
          issues: fc.array(fc.record({ path: text, message: text }), { maxLength: 50 }),
        }),
        { nil: undefined },
      ),
      notes: fc.array(text, { maxLength: 20 }),
    });
    fc.assert(
      fc.property(outcome, fc.integer({ min: 2_048, max: MNS_MAX_MESSAGE_BYTES }), (generated, maxBytes) => {
        const event = toCloudEvent(generated as Outcome, EVENT_CONTEXT);

        const { json, truncated } = serialiseWithinLimit(event, maxBytes);

        const parsed = JSON.parse(json) as BandwidthPlanCloudEvent;
        expect(escapedSize(json)).toBeLessThanOrEqual(maxBytes);
        expect(truncated).toBe(escapedSize(JSON.stringify(event)) > maxBytes);
        expect(parsed.data.truncated).toBe(truncated ? true : undefined);
        expect([parsed.id, parsed.type, parsed.source, parsed.data.outcome]).toEqual([event.id, event.type, event.source, event.data.outcome]);
      }),
      { numRuns: 200 },
    );
  });
});
