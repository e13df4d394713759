/**
 * The one error table: every error the product can report, with its HTTP status, whether a retry can
 * help, and the words a person reads. Upstream (Alibaba Cloud) codes are classified here too, so the
 * CEN client, the pipeline and the HTTP source all agree.
 */

export interface ErrorRule {
  /** HTTP status this error maps to when it ends an HTTP request. */
  readonly status: number;
  /** Whether trying again (same ClientToken) can succeed. */
  readonly retryable: boolean;
  readonly message: string;
  /** What to do about it, added to the upstream's own message (which says only what went wrong). */
  readonly hint?: string;
}

/** Errors the product raises itself. */
export const PRODUCT_ERRORS = {
  InvalidParameter: { status: 400, retryable: false, message: 'The request is not valid.' },
  InvalidJson: { status: 400, retryable: false, message: 'The body is not a JSON object.' },
  UnknownEvent: { status: 400, retryable: false, message: 'The event is not one this function understands.' },
  Unauthorized: { status: 401, retryable: false, message: 'The request is not signed correctly.' },
  PolicyDenied: { status: 403, retryable: false, message: "The request is outside the owner's guardrails." },
  // A runaway loop's next event must not be retried into a purchase: refused, not retryable.
  QuotaExceeded: { status: 429, retryable: false, message: 'This function has bought as much as its owner allows in 24 hours.' },
  // Found by this function's own lookup (core/intent.ts) or answered by CEN: the same rule either way.
  'IdempotenceParam.NotMatch': { status: 409, retryable: false, message: 'This ClientToken was already used with different parameters.' },
  NotAllowed: { status: 403, retryable: false, message: 'This user is not on the chat-ops allow-list.' },
  // Four-eyes approval (core/approval.ts): refusals of an approval step, each published as `rejected`.
  ApprovalRequired: { status: 403, retryable: false, message: 'This purchase needs approval by another person (one of APPROVERS).' },
  ApprovalRejected: { status: 403, retryable: false, message: 'An approver rejected this purchase.' },
  ApprovalRefused: { status: 403, retryable: false, message: 'The approval was refused.' },
  NotFound: { status: 404, retryable: false, message: 'No such resource.' },
  MethodNotAllowed: { status: 405, retryable: false, message: 'Method not allowed on this path.' },
  PayloadTooLarge: { status: 413, retryable: false, message: 'The body is larger than 64 KB.' },
  ConfigurationError: { status: 500, retryable: false, message: 'The function is misconfigured; its log names the problem.' },
  InternalError: { status: 500, retryable: false, message: 'Unexpected internal error.' },
  DeadlineExceeded: { status: 504, retryable: true, message: 'The call did not finish before the deadline.' },
  NetworkError: { status: 502, retryable: true, message: 'The upstream service could not be reached.' },
  NotificationFailed: { status: 502, retryable: true, message: 'The outcome could not be published.' },
  ReplyFailed: { status: 502, retryable: true, message: 'The chat reply could not be sent.' },
  HandOffFailed: { status: 502, retryable: true, message: 'The purchase could not be handed to its asynchronous run.' },
} as const satisfies Record<string, ErrorRule>;

export type ProductErrorCode = keyof typeof PRODUCT_ERRORS;

/** The Alibaba Cloud services this function calls. */
export type UpstreamService = 'CEN' | 'MNS' | 'FC';

const throttled = { status: 429, retryable: true, message: '{service} throttled the request.' } as const;
const failedThere = { status: 502, retryable: true, message: '{service} reported an internal error.' } as const;

/**
 * Upstream codes with a known meaning, for every service this function calls (codes are distinct
 * across CEN, MNS and FC or mean the same in each). `{service}` in a message names the service.
 * Codes not listed fall back on their HTTP status (see {@link classifyUpstream}).
 */
const UPSTREAM_ERRORS: Readonly<Record<string, ErrorRule>> = {
  // Retryable: the service asked us to come back, or failed on its side. Same ClientToken on retry.
  Throttling: throttled,
  'Throttling.User': throttled,
  'Throttling.Api': throttled,
  'Rejected.Throttling': throttled,
  QpsLimitExceeded: throttled,
  TooManyRequests: throttled,
  ResourceThrottled: throttled,
  ResourceExhausted: throttled,
  ServiceUnavailable: { status: 502, retryable: true, message: '{service} is temporarily unavailable.' },
  InternalError: failedThere,
  InternalServerError: failedThere,
  'DB.Error': failedThere,
  // CEN serialises operations per account; Terraform retries exactly this code.
  'Operation.Blocking': { status: 502, retryable: true, message: 'Another CEN operation is in progress.' },
  // Non-retryable: the request or the account is wrong; repeating it cannot help.
  'IdempotenceParam.NotMatch': PRODUCT_ERRORS['IdempotenceParam.NotMatch'],
  InvalidParameter: { status: 400, retryable: false, message: '{service} rejected a parameter.' },
  MissingParameter: { status: 400, retryable: false, message: '{service} reported a missing parameter.' },
  // Most accounts can buy PREPAY only today, though older API pages document POSTPAY as the default.
  'UnSupported.ChargeType': {
    status: 400,
    retryable: false,
    message: 'This charge type is not supported.',
    hint: 'This account cannot buy that charge type (most can buy only PREPAY): send BandwidthPackageChargeType PREPAY with a Period, or have the owner set DEFAULT_CHARGE_TYPE=PREPAY. Nothing was bought.',
  },
  'ParameterIllegal.BandwidthPackage': { status: 400, retryable: false, message: 'CEN rejected the plan parameters.' },
  'OperationInvalid.UserCanNotBuyCrossBorderBwp': {
    status: 403,
    retryable: false,
    message: 'This account may not buy cross-border bandwidth plans.',
  },
  'OperationInvalid.UserCanNotBuyBwp': { status: 403, retryable: false, message: 'This account may not buy bandwidth plans.' },
  'Order.AccountStatusIllegal': { status: 403, retryable: false, message: 'Pay-as-you-go is not enabled for this account.' },
  InventoryExceeded: { status: 400, retryable: false, message: 'CEN has no bandwidth inventory for this request.' },
  // A business condition despite its 5xx status.
  'PayFor.AccountMoneyValidateError': { status: 403, retryable: false, message: 'The account balance or quota is insufficient.' },
  Forbidden: { status: 403, retryable: false, message: 'The function role is not allowed to do this.' },
  'Forbidden.RAM': { status: 403, retryable: false, message: 'The function role is not allowed to do this.' },
  'Forbidden.RiskControl': { status: 403, retryable: false, message: 'Alibaba Cloud risk control blocked the request.' },
  AccessDenied: { status: 403, retryable: false, message: 'The function role is not allowed to do this on {service}.' },
  Unauthorized: { status: 403, retryable: false, message: 'The function credentials are not authorized.' },
  SignatureDoesNotMatch: { status: 403, retryable: false, message: '{service} rejected the request signature.' },
  SignatureNotMatch: { status: 403, retryable: false, message: '{service} rejected the request signature.' },
  IncompleteSignature: { status: 403, retryable: false, message: '{service} rejected the request signature.' },
  // STS keys come fresh with each invocation, so there is nothing newer to retry with.
  InvalidAccessKeyId: { status: 403, retryable: false, message: '{service} does not know the function credentials.' },
  'InvalidAccessKeyId.NotFound': { status: 403, retryable: false, message: 'The function credentials are not valid.' },
  'InvalidAccessKeyId.Inactive': { status: 403, retryable: false, message: 'The function credentials are inactive.' },
  'InvalidTimeStamp.Expired': { status: 403, retryable: false, message: 'The function clock is off by more than 15 minutes.' },
  TimeExpired: { status: 403, retryable: false, message: 'The function clock is off by more than 15 minutes.' },
  // MNS: the topic, and the message itself.
  TopicNotExist: { status: 502, retryable: false, message: 'The notification topic does not exist.' },
  InvalidArgument: { status: 400, retryable: false, message: '{service} rejected an argument (too large or out of range).' },
  MalformedXML: { status: 400, retryable: false, message: 'MNS could not read the message XML.' },
  // FC: the function called.
  FunctionNotFound: { status: 502, retryable: false, message: 'FC does not know the function.' },
};

/**
 * How an upstream error code behaves. Throttling, 429 and 5xx are retryable unless listed otherwise;
 * every other 4xx is final.
 */
export function classifyUpstream(code: string, httpStatus: number, service: UpstreamService = 'CEN'): ErrorRule {
  const rule =
    UPSTREAM_ERRORS[code] ??
    (code.startsWith('Throttling')
      ? throttled
      : code.startsWith('Forbidden')
        ? UPSTREAM_ERRORS.Forbidden!
        : httpStatus >= 500 || httpStatus === 429
          ? { status: 502, retryable: true, message: '{service} failed on its side.' }
          : httpStatus === 403 || httpStatus === 401
            ? { status: 403, retryable: false, message: '{service} refused the request.' }
            : { status: 400, retryable: false, message: '{service} rejected the request.' });
  return { ...rule, message: rule.message.replaceAll('{service}', service) };
}

/**
 * An answer that is not one the service gives (a proxy's page, a cut-off body): never a success;
 * worth another try only when the far side failed.
 */
export function notAnAnswer(description: string, httpStatus: number, requestId?: string): BandwidthPlanError {
  if (httpStatus >= 500 || httpStatus === 429 || httpStatus === 0) return new NetworkError(description);
  return new UpstreamError('InvalidResponse', description, httpStatus, requestId, { status: 502, retryable: false, message: description });
}

export interface Issue {
  /** Dotted field path, e.g. `Tag.1.Key`; empty for the request as a whole. */
  readonly path: string;
  readonly message: string;
}

export interface BandwidthPlanErrorOptions {
  readonly cause?: unknown;
  readonly requestId?: string;
  readonly issues?: readonly Issue[];
  readonly status?: number;
  readonly retryable?: boolean;
}

/** Base of every error the product reports: a stable code, a human message, a cause. */
export class BandwidthPlanError extends Error {
  override readonly name: string = 'BandwidthPlanError';
  readonly code: string;
  readonly status: number;
  readonly retryable: boolean;
  /** Upstream request id, for support. */
  readonly requestId?: string;
  readonly issues?: readonly Issue[];

  constructor(code: string, message: string, rule: ErrorRule, options: BandwidthPlanErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = options.status ?? rule.status;
    this.retryable = options.retryable ?? rule.retryable;
    if (options.requestId !== undefined) this.requestId = options.requestId;
    if (options.issues !== undefined) this.issues = options.issues;
  }
}

/** An error the product raises itself, with a code from {@link PRODUCT_ERRORS}. */
export class ProductError extends BandwidthPlanError {
  override readonly name: string = 'ProductError';
  constructor(code: ProductErrorCode, message: string = PRODUCT_ERRORS[code].message, options: BandwidthPlanErrorOptions = {}) {
    super(code, message, PRODUCT_ERRORS[code], options);
  }
}

/** The request failed validation; `issues` names every field and rule broken. */
export class ValidationError extends BandwidthPlanError {
  override readonly name = 'ValidationError';
  constructor(issues: readonly Issue[], message = describeIssues(issues)) {
    super('InvalidParameter', message, PRODUCT_ERRORS.InvalidParameter, { issues });
  }
}

/** An Alibaba Cloud service answered with an error body. */
export class UpstreamError extends BandwidthPlanError {
  override readonly name = 'UpstreamError';
  /** HTTP status the upstream service answered with. */
  readonly upstreamStatus: number;
  constructor(code: string, message: string | undefined, upstreamStatus: number, requestId: string | undefined, rule: ErrorRule | UpstreamService = 'CEN') {
    const classified = typeof rule === 'string' ? classifyUpstream(code, upstreamStatus, rule) : rule;
    const said = message || classified.message;
    super(code, classified.hint ? `${said} ${classified.hint}` : said, classified, requestId === undefined ? {} : { requestId });
    this.upstreamStatus = upstreamStatus;
  }
}

/** The connection failed or timed out before an answer: always retryable with the same ClientToken. */
export class NetworkError extends BandwidthPlanError {
  override readonly name = 'NetworkError';
  constructor(message: string, cause?: unknown) {
    super('NetworkError', message, PRODUCT_ERRORS.NetworkError, { cause });
  }
}

export class DeadlineExceededError extends BandwidthPlanError {
  override readonly name = 'DeadlineExceededError';
  constructor(message: string = PRODUCT_ERRORS.DeadlineExceeded.message, cause?: unknown) {
    super('DeadlineExceeded', message, PRODUCT_ERRORS.DeadlineExceeded, { cause });
  }
}

/** The issues that are there (a check that found nothing gives undefined). */
export function definedIssues(...issues: (Issue | undefined)[]): Issue[] {
  return issues.filter((issue): issue is Issue => issue !== undefined);
}

export function describeIssues(issues: readonly Issue[]): string {
  return issues.map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message)).join('; ');
}

/** Anything thrown, as a product error (unknown errors become `InternalError`, keeping the cause). */
export function asBandwidthPlanError(error: unknown): BandwidthPlanError {
  if (error instanceof BandwidthPlanError) return error;
  return new ProductError('InternalError', PRODUCT_ERRORS.InternalError.message, { cause: error });
}
