import { hostname as osHostname } from 'node:os';
import type { Logger } from '@kinesis-toolkit/core';
import type { InstanceMetadata } from '../ec2/Imds';

/** The dimension `cloudwatch.tagInstance` adds to every agent metric. */
export const INSTANCE_DIMENSION = 'InstanceId';

/** Where {@link resolveInstanceTag} looks. */
export interface InstanceTagSources {
  /** The instance metadata (IMDSv2: `Imds.instanceMetadata`, or the one ADDEC2METADATA already fetched). */
  readonly metadata: () => Promise<Pick<InstanceMetadata, 'instanceId'>>;
  /** @defaultValue `os.hostname()` */
  readonly hostname?: () => string;
  readonly logger: Logger;
}

/**
 * The value of `cloudwatch.tagInstance`, found as the Java agent's `AgentContext` finds it: the EC2
 * instance id from the instance metadata; off EC2 (no answer, or no id) the local host name; if
 * that is empty too, none — the metrics then go untagged, and an error line says so.
 */
export async function resolveInstanceTag(sources: InstanceTagSources): Promise<string | undefined> {
  const { logger } = sources;
  let why: string;
  try {
    const { instanceId } = await sources.metadata();
    if (instanceId !== undefined && instanceId !== '') return instanceId;
    why = 'the instance identity document has no instanceId';
  } catch (error) {
    why = (error as Error).message;
  }
  let host = '';
  try {
    host = (sources.hostname ?? osHostname)();
  } catch (error) {
    why += `; no host name either (${(error as Error).message})`;
  }
  if (host === '') {
    logger.error({}, `cloudwatch.tagInstance: cannot determine the instance id or the host name; the metrics are not tagged (${why})`);
    return undefined;
  }
  logger.info({ host }, `cloudwatch.tagInstance: no EC2 instance id (${why}); tagging the metrics with the host name ${host}`);
  return host;
}
