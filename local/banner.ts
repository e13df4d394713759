/**
 * What `npm start` prints once it listens: the URL, a ready-to-paste signed curl, how to sign
 * again once its five minutes are up, and where to look at the result.
 */
import { DEV_CREDENTIALS } from '../test/doubles';
import { LOCAL_SECRETS } from './environment';
import { INSPECTION_PREFIX, INSPECTION_ROUTES } from './inspection';
import { webhookSignature } from './signatures';

/** The API accepts a signature for 300 s either side of its timestamp. */
export const SIGNATURE_WINDOW_SECONDS = 300;

export const DEMO_PLAN = { Bandwidth: 10, GeographicRegionAId: 'China', GeographicRegionBId: 'Europe', Name: 'local-demo' } as const;

export interface BannerOptions {
  readonly url: string;
  /** The webhook secret in force; undefined when none is configured. */
  readonly webhookSecret: string | undefined;
  /** False when running against the real cloud: the curl then only previews (`dryRun=true`). */
  readonly local: boolean;
  /** Epoch ms. */
  readonly now: number;
  /** The local FC endpoint and the template running, for the `npm run smoke` line (local runs only). */
  readonly fcEndpoint?: string;
  readonly template?: string;
}

const quote = (text: string) => `'${text.replaceAll("'", "'\\''")}'`;

export function banner(options: BannerOptions): string {
  const { url, webhookSecret, local, now } = options;
  const lines = [`create-bandwidth-plan listening on ${url} (${local ? 'embedded loopback cloud' : 'REAL cloud endpoints: plans cost money'})`, ''];
  if (!webhookSecret) {
    lines.push('WEBHOOK_SECRET is not set: the HTTP API refuses every request.');
    return lines.join('\n');
  }
  const seconds = Math.floor(now / 1000);
  const body = JSON.stringify(DEMO_PLAN);
  const target = `${url}/bandwidth-plans${local ? '' : '?dryRun=true'}`;
  // The key and (outside the local run) the dry-run query are signed too: a v2 signature.
  const line = {
    method: 'POST',
    path: '/bandwidth-plans',
    query: local ? ({} as Record<string, string>) : { dryRun: 'true' },
    idempotencyKey: `local-demo-${seconds}`,
  };
  const expires = new Date((seconds + SIGNATURE_WINDOW_SECONDS) * 1000).toLocaleTimeString();
  lines.push(
    `${local ? 'Create a plan' : 'Preview a plan (dry run)'} — signed, valid for ${SIGNATURE_WINDOW_SECONDS} s (until ${expires}):`,
    '',
    `  curl -sS -X POST ${quote(target)} \\`,
    `    -H 'Content-Type: application/json' -H 'Idempotency-Key: local-demo-${seconds}' \\`,
    `    -H 'X-Webhook-Timestamp: ${seconds}' -H 'X-Webhook-Signature: ${webhookSignature(webhookSecret, seconds, body, line)}' \\`,
    `    --data-raw ${quote(body)}`,
    '',
  );
  if (webhookSecret === LOCAL_SECRETS.WEBHOOK_SECRET) {
    lines.push(
      'Sign again later (the secret is the local development one):',
      '',
      `  BODY=${quote(body)}; TS=$(date +%s); SIG=$(printf '%s.%s' "$TS" "$BODY" | openssl dgst -sha256 -hmac ${quote(webhookSecret)} -r | cut -d' ' -f1)`,
      `  curl -sS -X POST ${quote(target)} -H 'Content-Type: application/json' -H "X-Webhook-Timestamp: $TS" -H "X-Webhook-Signature: v1=$SIG" --data-raw "$BODY"`,
      '',
      'or run an example through its own embedded cloud: npm run invoke -- examples/http-create.json',
      '',
    );
  } else {
    lines.push('Sign again later with your WEBHOOK_SECRET: v1=hex(HMAC-SHA256(secret, "<unix seconds>.<body>")).', '');
  }
  if (local && options.fcEndpoint && webhookSecret === LOCAL_SECRETS.WEBHOOK_SECRET) {
    const templateArgument = options.template && options.template !== 's.yaml' ? ` -- --template ${options.template}` : '';
    lines.push(
      'Check it as you will check a deploy (buys nothing):',
      '',
      `  SMOKE_URL=${url} FC_ENDPOINT=${options.fcEndpoint} WEBHOOK_SECRET=${quote(webhookSecret)} \\`,
      `    ALIBABA_CLOUD_ACCESS_KEY_ID=${quote(DEV_CREDENTIALS.accessKeyId)} ALIBABA_CLOUD_ACCESS_KEY_SECRET=${quote(DEV_CREDENTIALS.accessKeySecret)} \\`,
      `    ALIBABA_CLOUD_SECURITY_TOKEN=${quote(DEV_CREDENTIALS.securityToken ?? '')} npm run smoke${templateArgument}`,
      '',
    );
  }
  if (local) {
    lines.push('See the result:');
    for (const [name, what] of Object.entries(INSPECTION_ROUTES)) lines.push(`  curl -sS ${url}${INSPECTION_PREFIX}${name}   # ${what}`);
  }
  lines.push('', 'Stop with Ctrl+C.');
  return lines.join('\n');
}
