import { NOOP_LOGGER } from '@kinesis-toolkit/core';
import { FakeImds, IDENTITY } from '../../test/FakeImds';
import { resolveInstanceTag } from '../metrics/instanceTag';
import { Imds } from './Imds';

describe('Imds (IMDSv2) against a local fake IMDS server — no EC2 here', () => {
  const servers: FakeImds[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0)) await server.stop();
  });

  it('gets a session token first, then the identity document and the instance tags with it', async () => {
    const fake = await FakeImds.start({ identity: IDENTITY, tags: { Name: 'web-1', team: 'payments' } });
    servers.push(fake);
    const metadata = await new Imds({ endpoint: fake.endpoint }).instanceMetadata();
    expect(metadata).toEqual({
      privateIp: '10.0.1.23',
      availabilityZone: 'eu-west-1b',
      instanceId: 'i-0123456789abcdef0',
      instanceType: 'm5.large',
      accountId: '123456789012',
      imageId: 'ami-0123456789abcdef0',
      region: 'eu-west-1',
      tags: { Name: 'web-1', team: 'payments' },
    });
    expect(fake.requests[0]).toBe('PUT /latest/api/token');
  });

  it('has no tags when the instance does not expose them (404), and still the identity', async () => {
    const fake = await FakeImds.start({ identity: IDENTITY });
    servers.push(fake);
    expect(await new Imds({ endpoint: fake.endpoint }).instanceMetadata()).toMatchObject({ instanceId: IDENTITY.instanceId, tags: {} });
  });

  it('off EC2 (an IMDS that never answers): a clear Ec2MetadataUnavailable error after the timeout, no hang', async () => {
    const fake = await FakeImds.start({ identity: IDENTITY }, { silent: true });
    servers.push(fake);
    const error = await new Imds({ endpoint: fake.endpoint, timeoutMs: 200 }).instanceMetadata().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'Ec2MetadataUnavailable', retryable: false });
    expect((error as Error).message).toMatch(/PUT \/latest\/api\/token got no answer within 200 ms.*Not on EC2\? Remove ADDEC2METADATA/);
  });
});

describe('cloudwatch.tagInstance against a local fake IMDS server — no EC2 here', () => {
  const servers: FakeImds[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0)) await server.stop();
  });

  it('tags with the instance id from the identity document (IMDSv2)', async () => {
    const fake = await FakeImds.start({ identity: IDENTITY });
    servers.push(fake);
    const imds = new Imds({ endpoint: fake.endpoint });
    await expect(resolveInstanceTag({ metadata: () => imds.instanceMetadata(), hostname: () => 'not-used', logger: NOOP_LOGGER })).resolves.toBe(IDENTITY.instanceId);
  });

  it('an IMDS that never answers: the host name, after the request deadline (no hang)', async () => {
    const fake = await FakeImds.start({ identity: IDENTITY }, { silent: true });
    servers.push(fake);
    const imds = new Imds({ endpoint: fake.endpoint, timeoutMs: 200 });
    await expect(resolveInstanceTag({ metadata: () => imds.instanceMetadata(), hostname: () => 'on-prem-1', logger: NOOP_LOGGER })).resolves.toBe('on-prem-1');
  });
});
