/**
 * Structured logs: one JSON object per line on stdout (FC ships stdout to SLS). As a safety net,
 * every registered secret value is scrubbed from each line before it is written, so a secret that
 * slipped into an error message still never reaches the log.
 */

import { readableStack } from './stack';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line. */
  child(fields: LogFields): Logger;
}

export type LineWriter = (line: string) => void;

const REDACTED = '[REDACTED]';
/** Secrets shorter than this are not scrubbed: they would match ordinary words. */
const MIN_SECRET_LENGTH = 6;

/** The set of secret values scrubbed from every line; shared by a logger and its children. */
export class SecretRegistry {
  readonly #secrets = new Set<string>();

  add(...values: Array<string | undefined>): void {
    for (const value of values) if (value && value.length >= MIN_SECRET_LENGTH) this.#secrets.add(value);
  }

  scrub(text: string): string {
    return redact(text, this.#secrets);
  }
}

/** `text` with every one of `secrets` replaced by `[REDACTED]`: the one redaction rule. */
export function redact(text: string, secrets: Iterable<string | undefined>): string {
  let result = text;
  for (const secret of secrets) if (secret && result.includes(secret)) result = result.split(secret).join(REDACTED);
  return result;
}

export interface LoggerOptions {
  readonly write?: LineWriter;
  readonly secrets?: SecretRegistry;
  readonly fields?: LogFields;
  readonly now?: () => Date;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const secrets = options.secrets ?? new SecretRegistry();
  const now = options.now ?? (() => new Date());
  const base = options.fields ?? {};
  const emit = (level: LogLevel, message: string, fields?: LogFields) => {
    const record = { time: now().toISOString(), level, message, ...base, ...fields };
    write(secrets.scrub(JSON.stringify(record, jsonSafe)));
  };
  return {
    debug: (message, fields) => emit('debug', message, fields),
    info: (message, fields) => emit('info', message, fields),
    warn: (message, fields) => emit('warn', message, fields),
    error: (message, fields) => emit('error', message, fields),
    child: (fields) => createLogger({ write, secrets, now, fields: { ...base, ...fields } }),
  };
}

/**
 * Errors serialise to their name, code and message (never their stack's local values). One that is
 * not the product's own — it has no `code`: a bug, say a TypeError behind an InternalError — carries
 * its stack too, mapped back to the TypeScript source.
 */
function jsonSafe(_key: string, value: unknown): unknown {
  if (value instanceof Error) {
    const { code, requestId } = value as { code?: unknown; requestId?: unknown };
    const stack = code === undefined && value.stack ? readableStack(value.stack) : undefined;
    return { name: value.name, code, message: value.message, requestId, cause: value.cause, stack };
  }
  if (typeof value === 'bigint') return value.toString();
  return value;
}
