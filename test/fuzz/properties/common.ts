/**
 * What every entry point's property shares: the entry point's shape, and the checks of a purchase
 * (CEN's ClientToken rules, checked against the session's model) and of bad input (CEN not called).
 */
import assert from 'node:assert/strict';
import type fc from 'fast-check';
import type { Harness } from '../../support/harness';
import { expectedWire, type Plan } from '../plans';
import type { Delta, FuzzSession } from '../session';

export interface EntryPoint<Input = any> {
  readonly name: string;
  readonly arbitrary: fc.Arbitrary<Input>;
  /** Prepares a fresh harness (e.g. plans to look up). */
  readonly setup?: (h: Harness) => Promise<void>;
  /** Runs one input and checks every property (throws when one breaks); returns the outcome, for the tally. */
  check(session: FuzzSession, input: Input): Promise<string>;
}

/** The hash part of a derived ClientToken (`<kind>-<48 hex>`). */
export const HEX48 = /^[0-9a-f]{48}$/;

export function assertNothingCalled(delta: Delta): void {
  assert.deepEqual(
    delta.cen.map((request) => request.action),
    [],
    'CEN was called for bad input',
  );
}

/**
 * One valid purchase. CEN's ClientToken rule, which the function now applies itself by looking the
 * intent up first: a new token is sent exactly as given and buys one plan; a token seen with the same
 * parameters finds its plan and calls no create; with other parameters it is a conflict, no create.
 */
export function checkPurchase(session: FuzzSession, h: Harness, plan: Plan, token: string, create: Delta['creates'][number] | undefined, plansAdded: number) {
  const wire = expectedWire(plan, token);
  const prediction = session.model.predict(token, wire);
  if (prediction.kind === 'new') {
    assert.ok(create, 'a valid request reached CEN');
    assert.deepEqual({ ...create.params }, wire, 'CEN received the request exactly as given');
    assert.equal(plansAdded, 1, 'a new token buys one plan');
    const planId = h.cen.plans.find((plan) => plan.clientToken === token)?.id;
    assert.ok(planId, 'the plan carries the token');
    session.model.record(token, wire, planId);
    return { kind: 'new' as const, planId };
  }
  assert.equal(create, undefined, 'a token whose plan exists is not sent to CEN again');
  assert.equal(plansAdded, 0, 'a repeated token buys nothing');
  return prediction;
}
