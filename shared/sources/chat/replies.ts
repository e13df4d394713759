/**
 * What the bot says, as plain text: a title and lines, independent of the platform
 * (`render.ts` turns a {@link Reply} into Slack, DingTalk or Lark JSON). Pure; no links, no secrets.
 */
import type { Issue } from '../../core/errors';
import type { Outcome } from '../../core/outcome';
import { billingSummary } from '../../core/policy';
import { AREAS, type BandwidthPlanRequest, BandwidthPlanRequestSchema, toQueryParameters } from '../../core/schema';
import { CONFIRMATION_TTL_MS, type ConfirmationFailure } from './confirmation';
import { COMMAND_USAGE } from './grammar';
import type { ButtonCommand } from './message';

export interface Reply {
  readonly title: string;
  readonly lines: readonly string[];
  /** Shown to the whole channel where the platform tells (Slack `in_channel`): a request for an approver. */
  readonly visibility?: 'channel' | undefined;
  /** Buttons, where the platform has them (Slack, Lark); each is also a command anyone can type. */
  readonly actions?: readonly ReplyAction[] | undefined;
  /**
   * The preview's question is answered (confirmed, cancelled, approved, rejected, or the purchase's
   * result): answering a button press, this reply replaces the message the buttons were on, buttons
   * and all. Any other answer to a press (a refusal) goes to the presser alone and leaves the message
   * as it was, so nobody can take the buttons off someone else's preview by pressing them.
   */
  readonly settles?: true | undefined;
}

/** A button: pressing it runs `command <code>` as if typed by whoever pressed it. */
export interface ReplyAction {
  readonly command: ButtonCommand;
  readonly code: string;
  readonly label: string;
  readonly style?: 'primary' | 'danger' | undefined;
}

/** The guardrails' answer for a request, decided elsewhere. */
export interface Verdict {
  readonly allowed: boolean;
  /** Why it was refused (or remarks when allowed). */
  readonly reasons: readonly string[];
}

function plural(count: number, unit: string): string {
  return `${count} ${unit}${count === 1 ? '' : 's'}`;
}

const onOff = (value: boolean | undefined): string => (value ? 'on' : 'off');

const issueLine = (issue: Issue): string => (issue.path ? `${issue.path}: ${issue.message}` : issue.message);

/** One sentence saying what would be bought: "100 Mbit/s between China and Europe, pay-as-you-go". */
export function summarise(request: BandwidthPlanRequest): string {
  const link = `${request.Bandwidth} Mbit/s between ${request.GeographicRegionAId} and ${request.GeographicRegionBId}, ${billingSummary(request)}`;
  if (request.BandwidthPackageChargeType !== 'PREPAY') return link;
  const renewal =
    request.AutoRenew && request.AutoRenewDuration !== undefined
      ? `auto-renew on (${plural(request.AutoRenewDuration, 'month')} at a time)`
      : `auto-renew ${onOff(request.AutoRenew)}`;
  return `${link}; ${renewal}`;
}

/**
 * A value someone typed (a Name, a Description, a tag, an event id), on one line: a line break in it
 * would start a line of its own in the message — a fake "Parameters:" line, say — that readers take
 * for the function's own.
 */
export function oneLine(text: string): string {
  return text.replace(/[\r\n\v\f\u0085\u2028\u2029]+/g, ' ⏎ ');
}

/** Parameters in the schema's order, however the request object was built. */
const PARAMETER_ORDER: readonly string[] = Object.keys(BandwidthPlanRequestSchema.def.shape);
const parameterRank = (name: string): number => PARAMETER_ORDER.indexOf(name.split('.')[0]!);

/** The request as the API receives it: `Bandwidth=100, GeographicRegionAId=China, …`. */
function parameters(request: BandwidthPlanRequest): string {
  return Object.entries(toQueryParameters(request))
    .sort(([a], [b]) => parameterRank(a) - parameterRank(b))
    .map(([name, value]) => `${name}=${oneLine(String(value))}`)
    .join(', ');
}

const EXAMPLES = [
  'plan 100 China Europe',
  'create 10 Asia-Pacific North-America name=ops-link desc="backup link" prepay 3 month autopay',
  'status cenbwp-xxxxxxxx',
] as const;

export function helpReply(): Reply {
  return {
    title: 'Bandwidth plan commands',
    lines: [
      ...Object.values(COMMAND_USAGE),
      `Areas: ${AREAS.join(', ')}. Bandwidth is in Mbit/s. plan only previews; create previews and gives a code to confirm (or, when the purchase needs a second person, a code one of APPROVERS approves or rejects).`,
      `Examples: ${EXAMPLES.join(' | ')}`,
    ],
  };
}

/** For a command the grammar did not understand (`usage` may hold several lines). */
export function invalidCommandReply(invalid: { readonly message: string; readonly usage: string }): Reply {
  return { title: 'Command not understood', lines: [invalid.message, 'Usage:', ...invalid.usage.split('\n'), 'Send help for examples.'] };
}

/** For a command that parsed but does not make a valid plan (`validateBandwidthPlan` issues). */
export function invalidRequestReply(issues: readonly Issue[]): Reply {
  return { title: 'Not a valid bandwidth plan', lines: issues.map(issueLine) };
}

export interface Preview {
  readonly kind: 'plan' | 'create';
  readonly request: BandwidthPlanRequest;
  readonly verdict: Verdict;
  /** For `create` when the verdict allows it: the code from `issueConfirmationCode`. */
  readonly code?: string | undefined;
  /** The code's lifetime; default 10 minutes. */
  readonly ttlMs?: number | undefined;
  /** When it needs a second person: who may approve and why (`describeApproval`). */
  readonly approvalLine?: string | undefined;
  /** For `create` that needs a second person: the approval code and until when it is valid. */
  readonly approval?: { readonly code: string; readonly expiresAt: number } | undefined;
  /** What the runaway limits leave (core/intent.ts `describeRoom`), when they are set and could be read. */
  readonly room?: string | undefined;
}

export function previewReply(preview: Preview): Reply {
  const { request, verdict } = preview;
  const lines = [summarise(request)];
  if (request.Name !== undefined) lines.push(`Name: ${oneLine(request.Name)}`);
  if (request.Description !== undefined) lines.push(`Description: ${oneLine(request.Description)}`);
  lines.push(`Parameters: ${parameters(request)}`);
  // Reasons are sentences ("… default (DEFAULT_PERIOD)."); inside the parentheses they are clauses.
  const reasons = verdict.reasons.map((reason) => reason.replace(/\.$/, '')).join('; ');
  if (!verdict.allowed) {
    lines.push(`Guardrails: refused${reasons ? ` (${reasons})` : ''}. Nothing can be bought.`);
  } else {
    lines.push(`Guardrails: allowed${reasons ? ` (${reasons})` : ''}.`);
    if (preview.room !== undefined) lines.push(`${preview.room}.`);
    if (preview.approvalLine) lines.push(`${preview.approvalLine}.`);
    if (preview.kind === 'plan') lines.push('Dry run: nothing was bought. Send the same with create instead of plan to buy.');
    else if (preview.approval) {
      const { code, expiresAt } = preview.approval;
      lines.push(`An approver (not the person who asked) replies "approve ${code}" before ${new Date(expiresAt).toISOString()} to buy, or "reject ${code}".`);
      return {
        title: 'Bandwidth plan: approval needed',
        lines,
        visibility: 'channel',
        actions: [
          { command: 'approve', code, label: 'Approve', style: 'primary' },
          { command: 'reject', code, label: 'Reject', style: 'danger' },
        ],
      };
    } else if (preview.code !== undefined) {
      const minutes = Math.round((preview.ttlMs ?? CONFIRMATION_TTL_MS) / 60_000);
      lines.push(`Reply "confirm ${preview.code}" within ${plural(minutes, 'minute')} to buy.`);
      return {
        title: 'Bandwidth plan preview',
        lines,
        actions: [
          { command: 'confirm', code: preview.code, label: 'Confirm', style: 'primary' },
          { command: 'cancel', code: preview.code, label: 'Cancel' },
        ],
      };
    }
  }
  return { title: preview.kind === 'plan' ? 'Bandwidth plan preview (dry run)' : 'Bandwidth plan preview', lines };
}

const CONFIRMATION_REFUSALS = {
  malformed: 'That is not a confirmation code. Copy it exactly from the preview.',
  tampered: 'That confirmation code is not valid. Copy it exactly from the preview.',
  expired: 'That confirmation code has expired. Send the create command again for a new one.',
  'other-user': 'That confirmation code was issued to someone else: only the person who asked can confirm it.',
} as const satisfies Record<ConfirmationFailure, string>;

export function confirmationRefusedReply(reason: ConfirmationFailure): Reply {
  return { title: 'Not confirmed', lines: [CONFIRMATION_REFUSALS[reason], 'Nothing was bought.'] };
}

/** The immediate answer to a valid `confirm`, before the purchase runs. */
export function confirmedReply(request: BandwidthPlanRequest): Reply {
  return { title: 'Confirmed: buying', lines: [summarise(request), 'The result follows here when the plan is ready.'], settles: true };
}

/**
 * The answer to `cancel <code>`. Codes are stateless, so nothing is revoked: the code simply goes
 * unused until it expires. An approval code is not withdrawn this way (approvers still see it).
 */
export function cancelledReply(approvalCode: boolean): Reply {
  if (approvalCode) {
    return { title: 'Still waiting for approval', lines: ['Nothing was bought. To withdraw a request that waits for an approver, send "reject <code>".'] };
  }
  // Honest about statelessness: the buttons go, but whoever still has the code could confirm it.
  return {
    title: 'Cancelled',
    lines: [
      'Nothing was bought. The preview is closed, but its code is not revoked (codes keep no state): it stays valid until it expires, ' +
        `${CONFIRMATION_TTL_MS / 60_000} minutes after it was issued. Do not confirm it.`,
    ],
    settles: true,
  };
}

/** For a chat job that arrived too late to be the one FC queued. */
export function expiredJobReply(): Reply {
  return { title: 'Not bought', lines: ['This request came back too late to be acted on. Send the create command again for a new code.'] };
}

/** For someone the allow-list does not name; says no more than that. */
export function notAllowedReply(): Reply {
  return { title: 'Not allowed', lines: ['You are not allowed to manage bandwidth plans with this bot. Ask its owner to add you.'] };
}

const OUTCOME_TITLES = {
  created: 'Bandwidth plan created',
  pending: 'Bandwidth plan ordered, not ready yet',
  failed: 'Bandwidth plan not created',
  rejected: 'Request refused',
  'awaiting-approval': 'Waiting for approval',
} as const satisfies Record<Outcome['kind'], string>;

/** The result of a purchase attempt: plan id, status, billing, and the codes support needs. */
export function outcomeReply(outcome: Outcome): Reply {
  const lines: string[] = [];
  const { result, error, request } = outcome;
  if (result) {
    lines.push(`Plan: ${result.CenBandwidthPackageId} (status ${result.Status})`);
    if (result.CenBandwidthPackageOrderId) lines.push(`Order: ${result.CenBandwidthPackageOrderId}`);
  }
  if (request) lines.push(summarise(request));
  if (error) {
    lines.push(error.message);
    lines.push(...(error.issues ?? []).map(issueLine));
    if (outcome.kind === 'failed') {
      lines.push(`Error code: ${error.code}${error.requestId ? ` (request id ${error.requestId})` : ''}`);
      if (error.retryable) lines.push('This may be temporary. Confirming the same code again is safe: it cannot buy twice.');
    }
  }
  lines.push(...(outcome.notes ?? []));
  if (outcome.approver)
    lines.push(`${outcome.kind === 'rejected' ? 'Rejected' : 'Approved'} by ${outcome.approver}; asked by ${outcome.trigger.requester ?? 'unknown'}.`);
  lines.push(`Reference: ${outcome.fcRequestId}`);
  return { title: OUTCOME_TITLES[outcome.kind], lines, settles: true };
}
