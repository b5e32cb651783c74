import type { Logger } from '@kinesis-toolkit/core';
import { AgentError } from '../errors/AgentError';
import { resolveInstanceTag } from './instanceTag';

// A fake metadata source: what IMDS would answer, scripted (the integration test uses a local IMDS server).

function recordingLogger() {
  const lines: string[] = [];
  const at = (level: string) => (_context: object, message: string) => void lines.push(`${level}: ${message}`);
  const logger: Logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), child: () => logger };
  return { logger, lines };
}
const offEc2 = () => Promise.reject(new AgentError('Ec2MetadataUnavailable', 'PUT /latest/api/token got no answer within 1000 ms'));

describe('resolveInstanceTag (cloudwatch.tagInstance, as the Java agent’s AgentContext)', () => {
  it('is the EC2 instance id when the instance metadata has one; the host name is not asked', async () => {
    const { logger, lines } = recordingLogger();
    const hostname = jest.fn(() => 'web-1.example');
    await expect(resolveInstanceTag({ metadata: async () => ({ instanceId: 'i-0123456789abcdef0' }), hostname, logger })).resolves.toBe('i-0123456789abcdef0');
    expect(hostname).not.toHaveBeenCalled();
    expect(lines).toEqual([]);
  });

  it('off EC2 (no metadata) is the host name, and says why at info', async () => {
    const { logger, lines } = recordingLogger();
    await expect(resolveInstanceTag({ metadata: offEc2, hostname: () => 'build-7', logger })).resolves.toBe('build-7');
    expect(lines).toEqual(['info: cloudwatch.tagInstance: no EC2 instance id (PUT /latest/api/token got no answer within 1000 ms); tagging the metrics with the host name build-7']);
  });

  it('an identity document without an instance id also falls back to the host name', async () => {
    const { logger } = recordingLogger();
    await expect(resolveInstanceTag({ metadata: async () => ({ instanceId: undefined }), hostname: () => 'h', logger })).resolves.toBe('h');
  });

  it('no instance id and no host name: untagged, with an error line (the Java agent skips tagging too)', async () => {
    const { logger, lines } = recordingLogger();
    await expect(resolveInstanceTag({ metadata: offEc2, hostname: () => '', logger })).resolves.toBeUndefined();
    expect(lines).toEqual([expect.stringMatching(/^error: cloudwatch\.tagInstance: cannot determine the instance id or the host name; the metrics are not tagged/)]);
  });
});
