/** Outcomes and contexts shared by the notifier tests. */
import type { Outcome } from '../../shared/core/outcome';
import type { BandwidthPlanRequest } from '../../shared/core/schema';

export const REQUEST: BandwidthPlanRequest = {
  Bandwidth: 10,
  GeographicRegionAId: 'China',
  GeographicRegionBId: 'Asia-Pacific',
  ClientToken: 'ct-123',
  Name: '带宽包_edge-1',
  Description: `A & B <edge> "quoted" 'single' 带宽 🚀`,
  BandwidthPackageChargeType: 'POSTPAY',
  PricingCycle: 'Month',
  Period: 1,
  AutoPay: false,
  Tag: [{ Key: 'team', Value: 'net<ops>&co' }],
};

export const CREATED: Outcome = {
  kind: 'created',
  trigger: { kind: 'http', id: 'req-1', requester: '203.0.113.7' },
  fcRequestId: 'fc-1',
  clientToken: 'ct-123',
  request: REQUEST,
  result: { CenBandwidthPackageId: 'cenbwp-abc', CenBandwidthPackageOrderId: 'order-9', Status: 'Idle', RequestId: 'cen-req-1' },
};

export const PENDING: Outcome = {
  kind: 'pending',
  trigger: { kind: 'timer', id: 'nightly@2025-01-02T03:04:05Z' },
  fcRequestId: 'fc-2',
  clientToken: 'ct-456',
  request: { ...REQUEST, ClientToken: 'ct-456', BandwidthPackageChargeType: 'PREPAY' },
  result: { CenBandwidthPackageId: 'cenbwp-def', Status: 'pending', RequestId: 'cen-req-2' },
  notes: ['The PREPAY order awaits payment in the console.'],
};

export const FAILED: Outcome = {
  kind: 'failed',
  trigger: { kind: 'eventbridge', id: 'acs.custom/evt-7' },
  fcRequestId: 'fc-3',
  clientToken: 'ct-789',
  request: { ...REQUEST, ClientToken: 'ct-789' },
  error: { code: 'Operation.Blocking', message: 'Another CEN operation is in progress.', requestId: 'cen-req-3', retryable: true },
};

export const REJECTED: Outcome = {
  kind: 'rejected',
  trigger: { kind: 'slack', id: 'msg-42', requester: 'slack:T1/U2' },
  fcRequestId: 'fc-4',
  error: {
    code: 'InvalidParameter',
    message: 'Bandwidth: must be at least 2 Mbit/s',
    retryable: false,
    issues: [{ path: 'Bandwidth', message: 'must be at least 2 Mbit/s' }],
  },
};

export const EVENT_CONTEXT = {
  id: 'evt-0001',
  time: new Date('2025-01-02T03:04:05.000Z'),
  region: 'cn-hangzhou',
  accountId: '1234567890123456',
  functionName: 'create-bandwidth-plan',
};
