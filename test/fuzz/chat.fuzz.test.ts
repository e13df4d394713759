/**
 * Fuzzing chat-ops on each platform at two layers: the signed envelope (correctly signed garbage is
 * a 4xx or an ignored 200, never a purchase) and the command text (never a purchase without a valid
 * confirmation code; a valid one buys exactly what was previewed, once). See
 * properties/chat-envelope.ts and properties/chat-commands.ts.
 */
import { describe, expect, it } from 'vitest';
import { CI_RUNS, CI_TIMEOUT_MS, FUZZ_REPLAY } from './ci-runs';
import { dingtalkCommands, dingtalkEnvelope, larkCommands, larkEnvelope, slackCommands, slackEnvelope } from './properties';
import { fuzzEntryPoint } from './runner';

describe(`chat-ops, ${CI_RUNS} generated inputs per entry point`, () => {
  it.each([slackEnvelope, slackCommands, dingtalkEnvelope, dingtalkCommands, larkEnvelope, larkCommands])(
    '$name: every property holds',
    async (entry) => {
      const report = await fuzzEntryPoint(entry, { numRuns: CI_RUNS, ...FUZZ_REPLAY });

      expect(report.message).toBeUndefined();
      expect(report.numRuns).toBe(CI_RUNS);
    },
    CI_TIMEOUT_MS,
  );
});
