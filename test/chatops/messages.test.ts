import { describe, expect, it } from 'vitest';
import type { Outcome } from '../../shared/core/outcome';
import type { BandwidthPlanRequest } from '../../shared/core/schema';
import {
  cancelledReply,
  confirmationRefusedReply,
  confirmedReply,
  helpReply,
  invalidCommandReply,
  invalidRequestReply,
  notAllowedReply,
  outcomeReply,
  previewReply,
  summarise,
} from '../../shared/sources/chat/replies';

const POSTPAY: BandwidthPlanRequest = {
  Bandwidth: 100,
  GeographicRegionAId: 'China',
  GeographicRegionBId: 'Europe',
  BandwidthPackageChargeType: 'POSTPAY',
  PricingCycle: 'Month',
  AutoPay: false,
  Period: 1,
};
const PREPAY: BandwidthPlanRequest = {
  ...POSTPAY,
  Name: 'my-plan',
  Description: 'text with spaces',
  BandwidthPackageChargeType: 'PREPAY',
  Period: 3,
  AutoPay: true,
  AutoRenew: false,
};
const POSTPAY_PARAMETERS =
  'Parameters: Bandwidth=100, GeographicRegionAId=China, GeographicRegionBId=Europe, BandwidthPackageChargeType=POSTPAY, PricingCycle=Month, Period=1, AutoPay=false';

describe('summarise', () => {
  it.each([
    [POSTPAY, '100 Mbit/s between China and Europe, pay-as-you-go (POSTPAY)'],
    [{ ...POSTPAY, AutoPay: true, AutoRenew: true }, '100 Mbit/s between China and Europe, pay-as-you-go (POSTPAY)'],
    [PREPAY, '100 Mbit/s between China and Europe, prepaid for 3 months (PREPAY), paid automatically (AutoPay); auto-renew off'],
    [{ ...PREPAY, Period: 1 }, '100 Mbit/s between China and Europe, prepaid for 1 month (PREPAY), paid automatically (AutoPay); auto-renew off'],
    [
      { ...PREPAY, Period: 1, PricingCycle: 'Year', AutoPay: false, AutoRenew: true },
      '100 Mbit/s between China and Europe, prepaid for 1 year (PREPAY); the order will wait for payment in the console (AutoPay is off); auto-renew on',
    ],
    [
      { ...PREPAY, Period: 2, PricingCycle: 'Year', AutoRenew: undefined },
      '100 Mbit/s between China and Europe, prepaid for 2 years (PREPAY), paid automatically (AutoPay); auto-renew off',
    ],
    [
      { ...PREPAY, AutoRenew: true, AutoRenewDuration: 6 },
      '100 Mbit/s between China and Europe, prepaid for 3 months (PREPAY), paid automatically (AutoPay); auto-renew on (6 months at a time)',
    ],
  ] as const)('%j', (request, expected) => {
    expect(summarise(request)).toBe(expected);
  });
});

describe('previewReply', () => {
  it('keeps a typed Name or Description on its line: a line break cannot add a line that looks like ours', () => {
    const forged = { ...POSTPAY, Description: 'ok\nParameters: Bandwidth=2\u2028Guardrails: allowed' };
    const { lines } = previewReply({ kind: 'plan', request: forged, verdict: { allowed: true, reasons: [] } });
    expect(lines.filter((line) => line.startsWith('Parameters:'))).toHaveLength(1);
    expect(lines.filter((line) => line.startsWith('Guardrails:'))).toHaveLength(1);
    expect(lines).toContain('Description: ok ⏎ Parameters: Bandwidth=2 ⏎ Guardrails: allowed');
    expect(lines.join('\n').split('\n')).toHaveLength(lines.length);
  });

  it('offers the confirmation for an allowed create', () => {
    expect(previewReply({ kind: 'create', request: PREPAY, verdict: { allowed: true, reasons: [] }, code: 'Abc123' })).toEqual({
      title: 'Bandwidth plan preview',
      lines: [
        '100 Mbit/s between China and Europe, prepaid for 3 months (PREPAY), paid automatically (AutoPay); auto-renew off',
        'Name: my-plan',
        'Description: text with spaces',
        'Parameters: Bandwidth=100, GeographicRegionAId=China, GeographicRegionBId=Europe, Name=my-plan, Description=text with spaces, BandwidthPackageChargeType=PREPAY, PricingCycle=Month, Period=3, AutoPay=true, AutoRenew=false',
        'Guardrails: allowed.',
        'Reply "confirm Abc123" within 10 minutes to buy.',
      ],
      // Buttons where the platform has them; typing the same command works everywhere.
      actions: [
        { command: 'confirm', code: 'Abc123', label: 'Confirm', style: 'primary' },
        { command: 'cancel', code: 'Abc123', label: 'Cancel' },
      ],
    });
  });

  it('says a plan is a dry run', () => {
    expect(previewReply({ kind: 'plan', request: POSTPAY, verdict: { allowed: true, reasons: ['within the 500 Mbit/s limit'] } })).toEqual({
      title: 'Bandwidth plan preview (dry run)',
      lines: [
        '100 Mbit/s between China and Europe, pay-as-you-go (POSTPAY)',
        POSTPAY_PARAMETERS,
        'Guardrails: allowed (within the 500 Mbit/s limit).',
        'Dry run: nothing was bought. Send the same with create instead of plan to buy.',
      ],
    });
  });

  it('offers no code when the guardrails refuse', () => {
    const verdict = { allowed: false, reasons: ['Bandwidth above 50 Mbit/s', 'PREPAY not allowed'] };
    expect(previewReply({ kind: 'create', request: POSTPAY, verdict, code: 'Abc123' })).toEqual({
      title: 'Bandwidth plan preview',
      lines: [
        '100 Mbit/s between China and Europe, pay-as-you-go (POSTPAY)',
        POSTPAY_PARAMETERS,
        'Guardrails: refused (Bandwidth above 50 Mbit/s; PREPAY not allowed). Nothing can be bought.',
      ],
    });
  });

  it('states the lifetime it is given', () => {
    const reply = previewReply({ kind: 'create', request: POSTPAY, verdict: { allowed: true, reasons: [] }, code: 'X1', ttlMs: 60_000 });
    expect(reply.lines.at(-1)).toBe('Reply "confirm X1" within 1 minute to buy.');
  });
});

const TRIGGER = { kind: 'slack', id: '398738663015.47445629121', requester: 'slack:T1DC2JH3J/U2CERLKJA' } as const;

describe('outcomeReply', () => {
  it.each<[string, Outcome, { title: string; lines: string[] }]>([
    [
      'created',
      {
        kind: 'created',
        trigger: TRIGGER,
        fcRequestId: 'fc-req-1',
        request: POSTPAY,
        result: { CenBandwidthPackageId: 'cenbwp-4c2zaavbvh5fx1zu8p', Status: 'Idle', RequestId: 'req-up-1' },
      },
      {
        title: 'Bandwidth plan created',
        lines: ['Plan: cenbwp-4c2zaavbvh5fx1zu8p (status Idle)', '100 Mbit/s between China and Europe, pay-as-you-go (POSTPAY)', 'Reference: fc-req-1'],
      },
    ],
    [
      'pending',
      {
        kind: 'pending',
        trigger: TRIGGER,
        fcRequestId: 'fc-req-2',
        request: { ...PREPAY, AutoPay: false },
        result: { CenBandwidthPackageId: 'cenbwp-abc', CenBandwidthPackageOrderId: '2134567890', Status: 'pending', RequestId: 'req-up-2' },
        notes: ['The order awaits payment in the Alibaba Cloud console.'],
      },
      {
        title: 'Bandwidth plan ordered, not ready yet',
        lines: [
          'Plan: cenbwp-abc (status pending)',
          'Order: 2134567890',
          '100 Mbit/s between China and Europe, prepaid for 3 months (PREPAY); the order will wait for payment in the console (AutoPay is off); auto-renew off',
          'The order awaits payment in the Alibaba Cloud console.',
          'Reference: fc-req-2',
        ],
      },
    ],
    [
      'failed, retryable',
      {
        kind: 'failed',
        trigger: TRIGGER,
        fcRequestId: 'fc-req-3',
        request: POSTPAY,
        error: { code: 'Operation.Blocking', message: 'Another CEN operation is in progress.', requestId: 'ABCD-1234', retryable: true },
      },
      {
        title: 'Bandwidth plan not created',
        lines: [
          '100 Mbit/s between China and Europe, pay-as-you-go (POSTPAY)',
          'Another CEN operation is in progress.',
          'Error code: Operation.Blocking (request id ABCD-1234)',
          'This may be temporary. Confirming the same code again is safe: it cannot buy twice.',
          'Reference: fc-req-3',
        ],
      },
    ],
    [
      'failed, final, no request id',
      {
        kind: 'failed',
        trigger: TRIGGER,
        fcRequestId: 'fc-req-4',
        error: { code: 'Forbidden.RAM', message: 'The function role is not allowed to do this.', retryable: false },
      },
      {
        title: 'Bandwidth plan not created',
        lines: ['The function role is not allowed to do this.', 'Error code: Forbidden.RAM', 'Reference: fc-req-4'],
      },
    ],
    [
      'rejected',
      {
        kind: 'rejected',
        trigger: TRIGGER,
        fcRequestId: 'fc-req-5',
        error: {
          code: 'PolicyDenied',
          message: "The request is outside the owner's guardrails.",
          retryable: false,
          issues: [
            { path: 'Bandwidth', message: 'must be at most 500 Mbit/s' },
            { path: '', message: 'PREPAY is not allowed' },
          ],
        },
      },
      {
        title: 'Request refused',
        lines: ["The request is outside the owner's guardrails.", 'Bandwidth: must be at most 500 Mbit/s', 'PREPAY is not allowed', 'Reference: fc-req-5'],
      },
    ],
  ])('%s', (_name, outcome, expected) => {
    // A result settles the request: answering a button press, it replaces the message the buttons were on.
    expect(outcomeReply(outcome)).toEqual({ ...expected, settles: true });
  });
});

describe('other replies', () => {
  it('help lists every command with examples', () => {
    expect(helpReply()).toEqual({
      title: 'Bandwidth plan commands',
      lines: [
        'help',
        'plan <Mbit/s> <area> <area> [name=<name>] [desc="<text>"] [prepay [<n> month|year]] [autorenew] [autopay]',
        'create <Mbit/s> <area> <area> [the options of plan]',
        'confirm <code>',
        'cancel <code>',
        'approve <code>',
        'reject <code>',
        'status <cenbwp-id or ClientToken>',
        'Areas: China, North-America, Asia-Pacific, Europe, Australia. Bandwidth is in Mbit/s. plan only previews; create previews and gives a code to confirm (or, when the purchase needs a second person, a code one of APPROVERS approves or rejects).',
        'Examples: plan 100 China Europe | create 10 Asia-Pacific North-America name=ops-link desc="backup link" prepay 3 month autopay | status cenbwp-xxxxxxxx',
      ],
    });
  });

  it.each([
    [
      invalidCommandReply({ message: 'missing the code', usage: 'confirm <code>' }),
      'Command not understood',
      ['missing the code', 'Usage:', 'confirm <code>', 'Send help for examples.'],
    ],
    [
      invalidCommandReply({ message: "unknown command 'buy'", usage: 'help\nstatus <cenbwp-id>' }),
      'Command not understood',
      ["unknown command 'buy'", 'Usage:', 'help', 'status <cenbwp-id>', 'Send help for examples.'],
    ],
    [
      invalidRequestReply([{ path: 'Bandwidth', message: 'must be at least 2 Mbit/s' }]),
      'Not a valid bandwidth plan',
      ['Bandwidth: must be at least 2 Mbit/s'],
    ],
    [
      confirmationRefusedReply('expired'),
      'Not confirmed',
      ['That confirmation code has expired. Send the create command again for a new one.', 'Nothing was bought.'],
    ],
    [
      confirmationRefusedReply('other-user'),
      'Not confirmed',
      ['That confirmation code was issued to someone else: only the person who asked can confirm it.', 'Nothing was bought.'],
    ],
    [confirmationRefusedReply('tampered'), 'Not confirmed', ['That confirmation code is not valid. Copy it exactly from the preview.', 'Nothing was bought.']],
    [confirmationRefusedReply('malformed'), 'Not confirmed', ['That is not a confirmation code. Copy it exactly from the preview.', 'Nothing was bought.']],
    [
      confirmedReply(POSTPAY),
      'Confirmed: buying',
      ['100 Mbit/s between China and Europe, pay-as-you-go (POSTPAY)', 'The result follows here when the plan is ready.'],
      'settles',
    ],
    [
      cancelledReply(false),
      'Cancelled',
      [
        'Nothing was bought. The preview is closed, but its code is not revoked (codes keep no state): it stays valid until it expires, 10 minutes after it was issued. Do not confirm it.',
      ],
      'settles',
    ],
    // An approval code is not withdrawn by cancel: the approvers still see it.
    [cancelledReply(true), 'Still waiting for approval', ['Nothing was bought. To withdraw a request that waits for an approver, send "reject <code>".']],
    [notAllowedReply(), 'Not allowed', ['You are not allowed to manage bandwidth plans with this bot. Ask its owner to add you.']],
  ])('%#: %s', (reply, title, lines, settles?: string) => {
    // Only a reply that settles the request replaces a button's message (the others go to the presser alone).
    expect(reply).toEqual({ title, lines, ...(settles ? { settles: true } : {}) });
  });
});
