import { describe, expect, it } from 'vitest';
import { acsDate, signedRequest } from '../oracles/acs3-reference';
import { mnsSdkClient } from '../oracles/mns-sdk';
import { callCen, invokeFunction, sdkClient } from '../oracles/openapi-sdk';
import { send } from '../support/raw-http';
import { DEV_CREDENTIALS, startCloud } from '.';

describe('startCloud', () => {
  it('starts all four doubles on distinct loopback ports, all accepting the dev credentials', async () => {
    const cloud = await startCloud({ fc: { onInvoke: () => ({ ok: true }) } });
    try {
      const urls = [cloud.cen.url, cloud.mns.url, cloud.fc.url, cloud.chat.url];
      expect(urls.every((url) => /^http:\/\/127\.0\.0\.1:\d+$/.test(url))).toBe(true);
      expect(new Set(urls).size).toBe(4);

      await callCen(sdkClient(cloud.cen.url, DEV_CREDENTIALS), 'DescribeCenBandwidthPackages', {});
      await mnsSdkClient(cloud.mns.url, DEV_CREDENTIALS).publishMessage('bandwidth-plan-events', { MessageBody: 'hi' });
      await invokeFunction(sdkClient(cloud.fc.url, DEV_CREDENTIALS), 'create-bandwidth-plan', Buffer.from('{}'), 'Sync');

      expect([cloud.cen.requests, cloud.mns.requests, cloud.fc.requests].map((requests) => requests.map((r) => r.verified))).toEqual([[true], [true], [true]]);
    } finally {
      await cloud.close();
    }
  });

  it('shares one clock and one credential registry', async () => {
    const other = { accessKeyId: 'LTAI-local-test', accessKeySecret: 'other-secret' };
    const now = Date.parse('2030-06-01T00:00:00Z');
    const cloud = await startCloud({ credentials: [other], now: () => now, cen: { readyAfterMs: 5_000 } });
    try {
      const query = { Bandwidth: '2', GeographicRegionAId: 'China', GeographicRegionBId: 'China', AutoPay: 'true' };
      const base = { url: cloud.cen.url, action: 'CreateCenBandwidthPackage', version: '2017-09-12', query };
      const accepted = await send(signedRequest({ ...base, credentials: other, date: acsDate(now) }));
      const devKey = await send(signedRequest({ ...base, credentials: DEV_CREDENTIALS, date: acsDate(now) }));

      expect(accepted.status).toBe(200);
      expect(devKey.json?.Code).toBe('InvalidAccessKeyId.NotFound');
      expect(cloud.cen.plans).toMatchObject([{ createdAt: now, Status: 'Creating' }]);
    } finally {
      await cloud.close();
    }
  });
});
