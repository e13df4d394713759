/**
 * The shape of every HTTP answer, as zod schemas: the OpenAPI document is generated from them and the
 * surface tests parse real answers with them. The function itself imports only their types (nothing
 * here is in the bundle's cold-start path).
 */
import * as z from 'zod/mini';
import { BandwidthPlanRequestSchema, SentTagsSchema } from '../../core/schema';

const text = z.string();
const optionalText = z.optional(z.string());

export const IssueSchema = z.object({ path: text, message: text });

export const NotificationAnswerSchema = z.union([
  z.object({ delivered: z.literal(true), messageId: text }),
  z.object({ delivered: z.literal(false), disabled: z.literal(true) }),
  z.object({ delivered: z.literal(false), error: z.object({ code: text, message: text }) }),
]);

/** Every failure: `{"error": {code, message, requestId?, issues?}}`, plus what is known of a purchase attempt. */
export const ErrorAnswerSchema = z.object({
  error: z.object({ code: text, message: text, requestId: optionalText, issues: z.optional(z.array(IssueSchema)) }),
  ClientToken: optionalText,
  notification: z.optional(NotificationAnswerSchema),
});

/** 202: not bought — it waits for one of APPROVERS, who approves it in chat with the code. */
export const AwaitingApprovalAnswerSchema = z.object({
  awaitingApproval: z.literal(true),
  approval: z.object({ code: text, expiresAt: text, approvers: z.array(text), reasons: z.array(text) }),
  ClientToken: text,
  notification: NotificationAnswerSchema,
});

/** 201: the plan was bought (or found again by its ClientToken). */
export const CreatedAnswerSchema = z.object({
  CenBandwidthPackageId: text,
  CenBandwidthPackageOrderId: optionalText,
  RequestId: text,
  ClientToken: text,
  /** `Idle`/`InUse`, or `pending` when it was not ready within WAIT_SECONDS (or awaits payment). */
  Status: text,
  notes: z.optional(z.array(text)),
  notification: NotificationAnswerSchema,
});

/** 200 for `?dryRun=true`: exactly what would be sent, and the guardrails' verdict. Nothing is called. */
export const DryRunAnswerSchema = z.object({
  dryRun: z.literal(true),
  /** As it would be sent: the caller's tags followed by the intent's (README, "Intent tags"). */
  request: z.extend(BandwidthPlanRequestSchema, { ClientToken: text, Tag: SentTagsSchema }),
  /** How it would be paid for, and whether the order would wait for payment (PREPAY without AutoPay). */
  billing: z.object({ summary: text, awaitsPayment: z.boolean() }),
  guardrails: z.object({ allowed: z.boolean(), reasons: z.array(text), notes: z.array(text) }),
  /** Why it would wait for an approver, and who may approve; absent when it would not. */
  approval: z.optional(z.object({ reasons: z.array(text), approvers: z.array(text) })),
  /** What MAX_PLANS_PER_DAY and MAX_MBPS_PER_DAY leave in the last 24 hours, when set (and readable). */
  room: z.optional(
    z.object({
      plans: z.object({ used: z.number(), limit: z.optional(z.number()) }),
      mbps: z.object({ used: z.number(), limit: z.optional(z.number()) }),
      nextFreesAt: optionalText,
      summary: text,
    }),
  ),
});

/** 200 for `GET /bandwidth-plans/{id}` (DescribeCenBandwidthPackages). */
export const PlanStatusAnswerSchema = z.object({
  CenBandwidthPackageId: text,
  Status: text,
  BusinessStatus: optionalText,
  Bandwidth: z.optional(z.number()),
  BandwidthPackageChargeType: optionalText,
  GeographicRegionAId: optionalText,
  GeographicRegionBId: optionalText,
  Name: optionalText,
  CreationTime: optionalText,
  ExpiredTime: optionalText,
  RequestId: text,
});

/** 200 on a chat route: the platform's own reply (Slack), an empty acknowledgement, or Lark's challenge. */
export const ChatAnswerSchema = z.union([
  z.object({ response_type: z.enum(['ephemeral', 'in_channel']), text }),
  z.object({ challenge: text }),
  z.strictObject({}),
]);

/** 200 on the internal invocation route: what the chat job did. */
export const JobAnswerSchema = z.object({
  job: z.enum(['confirm', 'status', 'invalid']),
  outcome: optionalText,
  CenBandwidthPackageId: optionalText,
  replied: z.boolean(),
});

export type CreatedAnswer = z.infer<typeof CreatedAnswerSchema>;
export type AwaitingApprovalAnswer = z.infer<typeof AwaitingApprovalAnswerSchema>;
export type DryRunAnswer = z.infer<typeof DryRunAnswerSchema>;
export type NotificationAnswer = z.infer<typeof NotificationAnswerSchema>;
