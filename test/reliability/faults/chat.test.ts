/**
 * The fault matrix through chat-ops: `confirm <code>` answers at once and hands the purchase to an
 * async run of the function (FC InvokeFunction), which buys, publishes and replies in chat. Every
 * network step of that path × every fault × once / repeatedly, each row stating its results. A job
 * that could not finish throws, and FC runs it again: 4 runs in all (FC's 3 retries) before FC gives up.
 */
import { describe, expect, it } from 'vitest';
import { clientTokenForConfirmation } from '../../../shared/sources/chat/confirmation';
import { CHAT_USERS, type Harness, type HttpAnswer } from '../../support/harness';
import { logsWith, publishedEvents } from '../../support/observe';
import {
  APPROVAL_ENV,
  CREATE,
  chatCall,
  chatConfirm,
  chatPress,
  confirmationCode,
  expectPromisesKept,
  type Fault,
  FINAL,
  INVOKE,
  inject,
  open,
  PUBLISH,
  publishedKinds,
  purchase,
  requestsFor,
  returned,
  type Times,
} from './matrix';

/** What FC recorded of the job: its runs, how it ended, and what the last run returned. */
interface Job {
  readonly attempts: number;
  readonly state: 'succeeded' | 'failed';
  readonly result?: { readonly outcome: string };
}

const ONE_RUN_CREATED: Job = { attempts: 1, state: 'succeeded', result: { outcome: 'created' } };
const GAVE_UP: Job = { attempts: 4, state: 'failed' };

/** The chat purchase jobs: a `confirm` by the requester, and an `approve` by an approver of another's request. */
const JOBS = [
  { job: 'confirm', source: 'slack-job', answer: 'Confirmed: buying', env: {} },
  { job: 'approve', source: 'slack-approval-job', answer: 'Approved: buying', env: APPROVAL_ENV },
] as const;

describe.concurrent.for(JOBS)('CEN create via the chat $job job', ({ job: kind, source, answer, env }) => {
  interface Redelivered {
    readonly outcome: 'created';
    readonly creates: number;
    readonly plans: number;
    readonly published: readonly string[];
  }
  type Row = readonly [
    Fault,
    Times,
    Job,
    { readonly creates: number; readonly plans: number; readonly published: readonly string[]; readonly redelivered?: Redelivered },
  ];
  const FOUR_FAILED = ['failed', 'failed', 'failed', 'failed'];
  const redelivered: Redelivered = { outcome: 'created', creates: 13, plans: 1, published: [...FOUR_FAILED, 'created'] };
  const rows: readonly Row[] = [
    ['throttling', 'once', ONE_RUN_CREATED, { creates: 2, plans: 1, published: ['created'] }],
    ['throttling', 'repeatedly', GAVE_UP, { creates: 12, plans: 0, published: FOUR_FAILED, redelivered }],
    ['unavailable', 'once', ONE_RUN_CREATED, { creates: 2, plans: 1, published: ['created'] }],
    ['unavailable', 'repeatedly', GAVE_UP, { creates: 12, plans: 0, published: FOUR_FAILED, redelivered }],
    ['internal', 'once', ONE_RUN_CREATED, { creates: 2, plans: 1, published: ['created'] }],
    ['internal', 'repeatedly', GAVE_UP, { creates: 12, plans: 0, published: FOUR_FAILED, redelivered }],
    ['blocking', 'once', ONE_RUN_CREATED, { creates: 2, plans: 1, published: ['created'] }],
    ['blocking', 'repeatedly', GAVE_UP, { creates: 12, plans: 0, published: FOUR_FAILED, redelivered }],
    ['reset', 'once', ONE_RUN_CREATED, { creates: 2, plans: 1, published: ['created'] }],
    ['reset', 'repeatedly', GAVE_UP, { creates: 12, plans: 0, published: FOUR_FAILED, redelivered }],
    ['hang', 'once', ONE_RUN_CREATED, { creates: 2, plans: 1, published: ['created'] }],
    ['hang', 'repeatedly', GAVE_UP, { creates: 12, plans: 0, published: FOUR_FAILED, redelivered }],
    ['drop-after-success', 'once', ONE_RUN_CREATED, { creates: 2, plans: 1, published: ['created'] }],
    // Bought by the first attempt, though no answer came back: found by its ClientToken tag, it is the outcome.
    ['drop-after-success', 'repeatedly', ONE_RUN_CREATED, { creates: 3, plans: 1, published: ['created'] }],
    // A final refusal is the job's outcome: returned, not run again.
    ['final', 'once', { attempts: 1, state: 'succeeded', result: { outcome: 'failed' } }, { creates: 1, plans: 0, published: ['failed'] }],
    ['final', 'repeatedly', { attempts: 1, state: 'succeeded', result: { outcome: 'failed' } }, { creates: 1, plans: 0, published: ['failed'] }],
  ];

  it.for(rows)('%s × %s', async ([fault, times, job, expected], context) => {
    const h = await open(context, { env });
    inject(h.cen, CREATE, fault, times, FINAL.create);

    const run = await purchase(h, source);

    expect(returned<HttpAnswer>(run.first).body.text).toContain(answer);
    expect(h.fc.invocations).toHaveLength(1);
    expect(h.fc.invocations[0]).toMatchObject(job);
    expect(requestsFor(h, CREATE)).toHaveLength(expected.creates);
    expect(h.cen.plans).toHaveLength(expected.plans);
    expect(publishedKinds(publishedEvents(h))).toEqual(expected.published);

    const again = expected.redelivered;
    if (again) {
      h.cen.clearFaults();
      expect(returned(await run.redeliver())).toMatchObject({ job: kind, outcome: again.outcome, CenBandwidthPackageId: h.cen.plans[0]?.id });
      expect(requestsFor(h, CREATE)).toHaveLength(again.creates);
      expect(h.cen.plans).toHaveLength(again.plans);
      expect(publishedKinds(publishedEvents(h))).toEqual(again.published);
      expect(publishedEvents(h).at(-1)).toMatchObject({ type: 'cen.bandwidthplan.created', subject: h.cen.plans[0]!.id });
    }
    expectPromisesKept(h, [run.first]);
  });
});

describe.concurrent('MNS publish via the chat confirm job', () => {
  /** What the topic holds: messages, distinct event ids (an answer lost after MNS stored the message makes the retry store it again, same id). */
  interface Topic {
    readonly publishes: number;
    readonly stored: number;
    readonly storedIds: number;
  }
  type Row = readonly [Fault, Times, Job, Topic & { readonly notDelivered: number; readonly redelivered?: Topic & { readonly creates: number } }];
  const FOUR_RUNS_FAILED: Job = { attempts: 4, state: 'failed' };
  const rows: readonly Row[] = [
    ['throttling', 'once', ONE_RUN_CREATED, { publishes: 2, notDelivered: 0, stored: 1, storedIds: 1 }],
    [
      'throttling',
      'repeatedly',
      FOUR_RUNS_FAILED,
      { publishes: 12, notDelivered: 4, stored: 0, storedIds: 0, redelivered: { creates: 1, publishes: 13, stored: 1, storedIds: 1 } },
    ],
    ['unavailable', 'once', ONE_RUN_CREATED, { publishes: 2, notDelivered: 0, stored: 1, storedIds: 1 }],
    [
      'unavailable',
      'repeatedly',
      FOUR_RUNS_FAILED,
      { publishes: 12, notDelivered: 4, stored: 0, storedIds: 0, redelivered: { creates: 1, publishes: 13, stored: 1, storedIds: 1 } },
    ],
    ['internal', 'once', ONE_RUN_CREATED, { publishes: 2, notDelivered: 0, stored: 1, storedIds: 1 }],
    [
      'internal',
      'repeatedly',
      FOUR_RUNS_FAILED,
      { publishes: 12, notDelivered: 4, stored: 0, storedIds: 0, redelivered: { creates: 1, publishes: 13, stored: 1, storedIds: 1 } },
    ],
    ['reset', 'once', ONE_RUN_CREATED, { publishes: 2, notDelivered: 0, stored: 1, storedIds: 1 }],
    [
      'reset',
      'repeatedly',
      FOUR_RUNS_FAILED,
      { publishes: 12, notDelivered: 4, stored: 0, storedIds: 0, redelivered: { creates: 1, publishes: 13, stored: 1, storedIds: 1 } },
    ],
    ['hang', 'once', ONE_RUN_CREATED, { publishes: 2, notDelivered: 0, stored: 1, storedIds: 1 }],
    [
      'hang',
      'repeatedly',
      FOUR_RUNS_FAILED,
      { publishes: 12, notDelivered: 4, stored: 0, storedIds: 0, redelivered: { creates: 1, publishes: 13, stored: 1, storedIds: 1 } },
    ],
    // At least once: every attempt whose answer was lost had stored the message (3 per run, one event id per run).
    ['drop-after-success', 'once', ONE_RUN_CREATED, { publishes: 2, notDelivered: 0, stored: 2, storedIds: 1 }],
    [
      'drop-after-success',
      'repeatedly',
      FOUR_RUNS_FAILED,
      { publishes: 12, notDelivered: 4, stored: 12, storedIds: 4, redelivered: { creates: 1, publishes: 13, stored: 13, storedIds: 5 } },
    ],
    // The first run could not publish and threw; FC's retry published.
    [
      'final',
      'once',
      { attempts: 2, state: 'succeeded', result: { outcome: 'created' } },
      { publishes: 2, notDelivered: 1, stored: 1, storedIds: 1, redelivered: { creates: 1, publishes: 3, stored: 2, storedIds: 2 } },
    ],
    [
      'final',
      'repeatedly',
      FOUR_RUNS_FAILED,
      { publishes: 4, notDelivered: 4, stored: 0, storedIds: 0, redelivered: { creates: 1, publishes: 5, stored: 1, storedIds: 1 } },
    ],
  ];

  function expectTopic(h: Harness, id: string, topic: Topic): void {
    expect(h.mns.requests).toHaveLength(topic.publishes);
    const stored = publishedEvents(h);
    expect(stored).toHaveLength(topic.stored);
    for (const event of stored) expect(event).toMatchObject({ type: 'cen.bandwidthplan.created', subject: id });
    expect(new Set(stored.map((event) => event.id)).size).toBe(topic.storedIds);
  }

  it.for(rows)('%s × %s', async ([fault, times, job, expected], context) => {
    const h = await open(context);
    inject(h.mns, PUBLISH, fault, times, FINAL.publish);

    const run = await purchase(h, 'slack-job');

    expect(returned<HttpAnswer>(run.first).body.text).toContain('Confirmed: buying');
    expect(h.cen.plans).toHaveLength(1);
    const id = h.cen.plans[0]!.id;
    expect(h.fc.invocations).toHaveLength(1);
    expect(h.fc.invocations[0]).toMatchObject(job);
    expectTopic(h, id, expected);
    const notDelivered = logsWith(h, 'notification not delivered');
    expect(notDelivered).toHaveLength(expected.notDelivered);
    for (const record of notDelivered) expect(record.cloudEvent).toMatchObject({ type: 'cen.bandwidthplan.created', subject: id });

    const again = expected.redelivered;
    if (again) {
      h.mns.clearFaults();
      expect(returned(await run.redeliver())).toMatchObject({ job: 'confirm', outcome: 'created', CenBandwidthPackageId: id });
      expect(requestsFor(h, CREATE)).toHaveLength(again.creates);
      expectTopic(h, id, again);
    }
    expect(h.cen.plans).toHaveLength(1);
    expectPromisesKept(h, [run.first]);
  });
});

describe.concurrent('FC InvokeFunction (the chat confirm hand-off)', () => {
  /** The chat answer: the purchase started, or it may not have (with the hand-off's error code). */
  type Answer = { readonly text: 'Confirmed: buying' } | { readonly text: 'Not sure it started'; readonly code: string };
  /**
   * `invocations`: the jobs FC accepted, each run (and buying) even when its 202 was lost;
   * `published`: outcome kinds, sorted (the jobs run beside the answer): `failed` is the HandOffFailed
   * outcome of a hand-off that may have failed.
   */
  type Row = readonly [
    Fault,
    Times,
    Answer,
    { readonly invokes: number; readonly invocations: number; readonly plans: number; readonly notStarted: number; readonly published: readonly string[] },
  ];
  const STARTED: Answer = { text: 'Confirmed: buying' };
  const rows: readonly Row[] = [
    ['throttling', 'once', STARTED, { invokes: 2, invocations: 1, plans: 1, notStarted: 0, published: ['created'] }],
    [
      'throttling',
      'repeatedly',
      { text: 'Not sure it started', code: 'ResourceThrottled' },
      { invokes: 3, invocations: 0, plans: 0, notStarted: 1, published: ['failed'] },
    ],
    ['unavailable', 'once', STARTED, { invokes: 2, invocations: 1, plans: 1, notStarted: 0, published: ['created'] }],
    [
      'unavailable',
      'repeatedly',
      { text: 'Not sure it started', code: 'ServiceUnavailable' },
      { invokes: 3, invocations: 0, plans: 0, notStarted: 1, published: ['failed'] },
    ],
    ['internal', 'once', STARTED, { invokes: 2, invocations: 1, plans: 1, notStarted: 0, published: ['created'] }],
    [
      'internal',
      'repeatedly',
      { text: 'Not sure it started', code: 'InternalError' },
      { invokes: 3, invocations: 0, plans: 0, notStarted: 1, published: ['failed'] },
    ],
    ['reset', 'once', STARTED, { invokes: 2, invocations: 1, plans: 1, notStarted: 0, published: ['created'] }],
    [
      'reset',
      'repeatedly',
      { text: 'Not sure it started', code: 'NetworkError' },
      { invokes: 3, invocations: 0, plans: 0, notStarted: 1, published: ['failed'] },
    ],
    ['hang', 'once', STARTED, { invokes: 2, invocations: 1, plans: 1, notStarted: 0, published: ['created'] }],
    [
      'hang',
      'repeatedly',
      { text: 'Not sure it started', code: 'NetworkError' },
      { invokes: 3, invocations: 0, plans: 0, notStarted: 1, published: ['failed'] },
    ],
    // FC accepted every attempt whose 202 was lost: each job runs, the one ClientToken buys once.
    ['drop-after-success', 'once', STARTED, { invokes: 2, invocations: 2, plans: 1, notStarted: 0, published: ['created', 'created'] }],
    [
      'drop-after-success',
      'repeatedly',
      { text: 'Not sure it started', code: 'NetworkError' },
      { invokes: 3, invocations: 3, plans: 1, notStarted: 1, published: ['created', 'created', 'created', 'failed'] },
    ],
    ['final', 'once', { text: 'Not sure it started', code: 'AccessDenied' }, { invokes: 1, invocations: 0, plans: 0, notStarted: 1, published: ['failed'] }],
    [
      'final',
      'repeatedly',
      { text: 'Not sure it started', code: 'AccessDenied' },
      { invokes: 1, invocations: 0, plans: 0, notStarted: 1, published: ['failed'] },
    ],
  ];

  it.for(rows)('%s × %s', async ([fault, times, answer, expected], context) => {
    const h = await open(context);
    inject(h.fc, INVOKE, fault, times, FINAL.invoke);
    const code = confirmationCode(CHAT_USERS.slack);

    const settled = await chatCall(h, chatConfirm(h, 'slack', code));

    const got = returned<HttpAnswer>(settled);
    expect(got.status).toBe(200);
    expect(got.body.text).toContain(answer.text);
    if ('code' in answer) expect(got.body.text).toContain(`Error code: ${answer.code}`);
    const notStarted = logsWith(h, 'could not start the async chat job');
    expect(notStarted).toHaveLength(expected.notStarted);
    if ('code' in answer) expect(notStarted[0]).toMatchObject({ error: { code: answer.code } });
    expect(h.fc.requests.filter((request) => request.action === INVOKE)).toHaveLength(expected.invokes);
    expect(h.fc.invocations).toHaveLength(expected.invocations);
    for (const job of h.fc.invocations) expect(job).toMatchObject({ attempts: 1, state: 'succeeded', result: { job: 'confirm', outcome: 'created' } });
    expect(h.cen.plans).toHaveLength(expected.plans);
    for (const plan of h.cen.plans) expect(plan.clientToken).toBe(clientTokenForConfirmation(code));
    expect(publishedKinds(publishedEvents(h)).sort()).toEqual(expected.published);
    // A hand-off that may have failed is an outcome too, under the ClientToken the job would buy with.
    for (const event of publishedEvents(h).filter((e) => e.data.outcome === 'failed')) {
      expect(event.data).toMatchObject({ error: { code: 'HandOffFailed' }, clientToken: clientTokenForConfirmation(code) });
    }
    expectPromisesKept(h, [got]);
  });
});

describe.concurrent('chat replies', () => {
  /** `slack-button`: the confirm is the preview's Confirm pressed; both its replies go to the press's response_url. */
  type Endpoint = 'slack' | 'slack-button' | 'dingtalk' | 'lark-reply' | 'lark-token';
  const PLATFORM = { slack: 'slack', 'slack-button': 'slack', dingtalk: 'dingtalk', 'lark-reply': 'lark', 'lark-token': 'lark' } as const;
  /** The chat double's endpoint a row's faults are queued on. */
  const ACTION = { slack: 'slack', 'slack-button': 'slack', dingtalk: 'dingtalk', 'lark-reply': 'lark-reply', 'lark-token': 'lark-token' } as const;
  /**
   * A confirm sends two replies, the ack and the result (Slack's ack to a slash command is the HTTP
   * answer itself: only the result is posted; a button press is acknowledged empty and both replies
   * replace the pressed message through its response_url). `requests`: to the faulted endpoint; `replies`: stored by the platform
   * (twice when the answer to a stored reply was lost); `notDelivered`: 'chat reply not delivered'
   * lines; `replied`: what the job reported of its result reply.
   */
  type Row = readonly [
    Endpoint,
    Fault,
    Times,
    { readonly requests: number; readonly replies: number; readonly notDelivered: number; readonly replied: boolean },
  ];
  const rows: readonly Row[] = [
    ['slack', 'throttling', 'once', { requests: 2, replies: 1, notDelivered: 0, replied: true }],
    ['slack', 'throttling', 'repeatedly', { requests: 3, replies: 0, notDelivered: 1, replied: false }],
    ['slack', 'unavailable', 'once', { requests: 2, replies: 1, notDelivered: 0, replied: true }],
    ['slack', 'unavailable', 'repeatedly', { requests: 3, replies: 0, notDelivered: 1, replied: false }],
    ['slack', 'internal', 'once', { requests: 2, replies: 1, notDelivered: 0, replied: true }],
    ['slack', 'internal', 'repeatedly', { requests: 3, replies: 0, notDelivered: 1, replied: false }],
    ['slack', 'reset', 'once', { requests: 2, replies: 1, notDelivered: 0, replied: true }],
    ['slack', 'reset', 'repeatedly', { requests: 3, replies: 0, notDelivered: 1, replied: false }],
    ['slack', 'hang', 'once', { requests: 2, replies: 1, notDelivered: 0, replied: true }],
    ['slack', 'hang', 'repeatedly', { requests: 3, replies: 0, notDelivered: 1, replied: false }],
    ['slack', 'drop-after-success', 'once', { requests: 2, replies: 2, notDelivered: 0, replied: true }],
    ['slack', 'drop-after-success', 'repeatedly', { requests: 3, replies: 3, notDelivered: 1, replied: false }],
    ['slack', 'final', 'once', { requests: 1, replies: 0, notDelivered: 1, replied: false }],
    ['slack', 'final', 'repeatedly', { requests: 1, replies: 0, notDelivered: 1, replied: false }],

    // Once: the ack, sent first, takes the fault.
    ['slack-button', 'throttling', 'once', { requests: 3, replies: 2, notDelivered: 0, replied: true }],
    ['slack-button', 'throttling', 'repeatedly', { requests: 6, replies: 0, notDelivered: 2, replied: false }],
    ['slack-button', 'unavailable', 'once', { requests: 3, replies: 2, notDelivered: 0, replied: true }],
    ['slack-button', 'unavailable', 'repeatedly', { requests: 6, replies: 0, notDelivered: 2, replied: false }],
    ['slack-button', 'internal', 'once', { requests: 3, replies: 2, notDelivered: 0, replied: true }],
    ['slack-button', 'internal', 'repeatedly', { requests: 6, replies: 0, notDelivered: 2, replied: false }],
    ['slack-button', 'reset', 'once', { requests: 3, replies: 2, notDelivered: 0, replied: true }],
    ['slack-button', 'reset', 'repeatedly', { requests: 6, replies: 0, notDelivered: 2, replied: false }],
    ['slack-button', 'hang', 'once', { requests: 3, replies: 2, notDelivered: 0, replied: true }],
    ['slack-button', 'hang', 'repeatedly', { requests: 6, replies: 0, notDelivered: 2, replied: false }],
    ['slack-button', 'drop-after-success', 'once', { requests: 3, replies: 3, notDelivered: 0, replied: true }],
    // A response_url takes five replies: the sixth post is answered used_url (and its answer lost too).
    ['slack-button', 'drop-after-success', 'repeatedly', { requests: 6, replies: 5, notDelivered: 2, replied: false }],
    ['slack-button', 'final', 'once', { requests: 2, replies: 1, notDelivered: 1, replied: true }],
    ['slack-button', 'final', 'repeatedly', { requests: 2, replies: 0, notDelivered: 2, replied: false }],

    // Once: the ack, sent first, takes the fault.
    ['dingtalk', 'throttling', 'once', { requests: 3, replies: 2, notDelivered: 0, replied: true }],
    ['dingtalk', 'throttling', 'repeatedly', { requests: 6, replies: 0, notDelivered: 2, replied: false }],
    ['dingtalk', 'unavailable', 'once', { requests: 3, replies: 2, notDelivered: 0, replied: true }],
    ['dingtalk', 'unavailable', 'repeatedly', { requests: 6, replies: 0, notDelivered: 2, replied: false }],
    ['dingtalk', 'internal', 'once', { requests: 3, replies: 2, notDelivered: 0, replied: true }],
    ['dingtalk', 'internal', 'repeatedly', { requests: 6, replies: 0, notDelivered: 2, replied: false }],
    ['dingtalk', 'reset', 'once', { requests: 3, replies: 2, notDelivered: 0, replied: true }],
    ['dingtalk', 'reset', 'repeatedly', { requests: 6, replies: 0, notDelivered: 2, replied: false }],
    ['dingtalk', 'hang', 'once', { requests: 3, replies: 2, notDelivered: 0, replied: true }],
    ['dingtalk', 'hang', 'repeatedly', { requests: 6, replies: 0, notDelivered: 2, replied: false }],
    ['dingtalk', 'drop-after-success', 'once', { requests: 3, replies: 3, notDelivered: 0, replied: true }],
    ['dingtalk', 'drop-after-success', 'repeatedly', { requests: 6, replies: 6, notDelivered: 2, replied: false }],
    ['dingtalk', 'final', 'once', { requests: 2, replies: 1, notDelivered: 1, replied: true }],
    ['dingtalk', 'final', 'repeatedly', { requests: 2, replies: 0, notDelivered: 2, replied: false }],

    ['lark-reply', 'throttling', 'once', { requests: 3, replies: 2, notDelivered: 0, replied: true }],
    ['lark-reply', 'throttling', 'repeatedly', { requests: 6, replies: 0, notDelivered: 2, replied: false }],
    ['lark-reply', 'unavailable', 'once', { requests: 3, replies: 2, notDelivered: 0, replied: true }],
    ['lark-reply', 'unavailable', 'repeatedly', { requests: 6, replies: 0, notDelivered: 2, replied: false }],
    ['lark-reply', 'internal', 'once', { requests: 3, replies: 2, notDelivered: 0, replied: true }],
    ['lark-reply', 'internal', 'repeatedly', { requests: 6, replies: 0, notDelivered: 2, replied: false }],
    ['lark-reply', 'reset', 'once', { requests: 3, replies: 2, notDelivered: 0, replied: true }],
    ['lark-reply', 'reset', 'repeatedly', { requests: 6, replies: 0, notDelivered: 2, replied: false }],
    ['lark-reply', 'hang', 'once', { requests: 3, replies: 2, notDelivered: 0, replied: true }],
    ['lark-reply', 'hang', 'repeatedly', { requests: 6, replies: 0, notDelivered: 2, replied: false }],
    ['lark-reply', 'drop-after-success', 'once', { requests: 3, replies: 3, notDelivered: 0, replied: true }],
    ['lark-reply', 'drop-after-success', 'repeatedly', { requests: 6, replies: 6, notDelivered: 2, replied: false }],
    ['lark-reply', 'final', 'once', { requests: 2, replies: 1, notDelivered: 1, replied: true }],
    ['lark-reply', 'final', 'repeatedly', { requests: 2, replies: 0, notDelivered: 2, replied: false }],

    // The tenant token the ack fetched serves the result too; a token that was never received is fetched again.
    ['lark-token', 'throttling', 'once', { requests: 2, replies: 2, notDelivered: 0, replied: true }],
    ['lark-token', 'throttling', 'repeatedly', { requests: 6, replies: 0, notDelivered: 2, replied: false }],
    ['lark-token', 'unavailable', 'once', { requests: 2, replies: 2, notDelivered: 0, replied: true }],
    ['lark-token', 'unavailable', 'repeatedly', { requests: 6, replies: 0, notDelivered: 2, replied: false }],
    ['lark-token', 'internal', 'once', { requests: 2, replies: 2, notDelivered: 0, replied: true }],
    ['lark-token', 'internal', 'repeatedly', { requests: 6, replies: 0, notDelivered: 2, replied: false }],
    ['lark-token', 'reset', 'once', { requests: 2, replies: 2, notDelivered: 0, replied: true }],
    ['lark-token', 'reset', 'repeatedly', { requests: 6, replies: 0, notDelivered: 2, replied: false }],
    // While the ack's token request hangs (its 400 ms attempt timeout), the job gets to its reply and fetches a token of its own.
    ['lark-token', 'hang', 'once', { requests: 3, replies: 2, notDelivered: 0, replied: true }],
    ['lark-token', 'hang', 'repeatedly', { requests: 6, replies: 0, notDelivered: 2, replied: false }],
    ['lark-token', 'drop-after-success', 'once', { requests: 2, replies: 2, notDelivered: 0, replied: true }],
    ['lark-token', 'drop-after-success', 'repeatedly', { requests: 6, replies: 0, notDelivered: 2, replied: false }],
    ['lark-token', 'final', 'once', { requests: 2, replies: 1, notDelivered: 1, replied: true }],
    ['lark-token', 'final', 'repeatedly', { requests: 2, replies: 0, notDelivered: 2, replied: false }],
  ];

  it.for(rows)('%s × %s × %s', async ([endpoint, fault, times, expected], context) => {
    const h = await open(context, { env: { WAIT_SECONDS: '1' } });
    inject(h.chat, ACTION[endpoint], fault, times, FINAL[ACTION[endpoint]]);

    const settled = await chatCall(h, endpoint === 'slack-button' ? chatPress(h) : chatConfirm(h, PLATFORM[endpoint]));

    // A reply that cannot be sent is logged; the purchase goes on and is not run again for it.
    expect(returned<HttpAnswer>(settled).status).toBe(200);
    expect(h.cen.plans).toHaveLength(1);
    expect(h.fc.invocations).toHaveLength(1);
    expect(h.fc.invocations[0]).toMatchObject({ attempts: 1, state: 'succeeded', result: { job: 'confirm', outcome: 'created', replied: expected.replied } });
    expect(publishedEvents(h).map((event) => event.type)).toEqual(['cen.bandwidthplan.created']);
    expect(logsWith(h, 'chat reply not delivered')).toHaveLength(expected.notDelivered);
    expect(h.chat.requests.filter((request) => request.action === ACTION[endpoint])).toHaveLength(expected.requests);
    const stored = h.chat.replies.filter((reply) => reply.platform === PLATFORM[endpoint]);
    expect(stored).toHaveLength(expected.replies);
    // A press's replies settle it: each replaced the pressed message.
    if (endpoint === 'slack-button') for (const reply of stored) expect(reply.replacedOriginal).toBe(true);
    expectPromisesKept(h, [settled]);
  });
});

describe('the chat answer after a hand-off whose answer was lost', () => {
  // Found by the fault matrix: when every InvokeFunction answer is lost after FC accepted the event,
  // the job runs (and buys), so the user must not be told that nothing was bought.
  it('does not tell the user that nothing was bought when FC may have accepted the job', async (context) => {
    const h = await open(context);
    h.fc.inject('drop-after-success', { times: Infinity, action: INVOKE });

    const answer = returned<HttpAnswer>(await chatCall(h, chatConfirm(h, 'slack')));

    expect(h.cen.plans).toHaveLength(1);
    expect(answer.body.text).not.toContain('Nothing was bought');
    expect(answer.body.text).toContain('Not sure it started');
  });
});
