import { AssumeRoleCommand, type STSClient } from '@aws-sdk/client-sts';
import { RetryPolicy, SYSTEM_CLOCK, callAws, type AwsClientLike, type Clock } from '@kinesis-toolkit/core';

/** Temporary credentials as the AWS SDK v3 takes them from a provider. */
export interface TemporaryCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiration: Date;
}

/** What {@link assumeRoleCredentials} needs. */
export interface AssumeRoleOptions {
  /** Signs the AssumeRole call with the long-lived credentials (the default chain, or agent.json's keys). */
  readonly sts: STSClient;
  readonly roleArn: string;
  readonly externalId?: string | undefined;
  /** @defaultValue 3600 (the agent's session length) */
  readonly durationSeconds?: number;
  /** Refresh this long before the credentials expire. @defaultValue 300000 */
  readonly refreshBeforeMs?: number;
  /** @defaultValue 10000 */
  readonly timeoutMs?: number;
  readonly clock?: Clock;
}

/** The agent's role session name. */
export const ASSUME_ROLE_SESSION_NAME = 'AWSKinesisAgent';

/**
 * agent.json's `assumeRoleARN` (+ `assumeRoleExternalId`): a credentials provider for the SDK
 * clients that calls STS AssumeRole (session `AWSKinesisAgent`, one hour, as the Java agent does)
 * through core's `callAws` — a deadline per attempt, the classifier, the retry policy — caches
 * the credentials, and assumes the role again shortly before they expire. Concurrent callers
 * share one AssumeRole call.
 */
export function assumeRoleCredentials(options: AssumeRoleOptions): () => Promise<TemporaryCredentials> {
  const clock = options.clock ?? SYSTEM_CLOCK;
  const retry = new RetryPolicy({ maxAttempts: 3 }, { clock });
  let cached: TemporaryCredentials | undefined;
  let pending: Promise<TemporaryCredentials> | undefined;
  const refreshBeforeMs = options.refreshBeforeMs ?? 300_000;
  return () => {
    if (cached !== undefined && cached.expiration.getTime() - refreshBeforeMs > Date.now()) return Promise.resolve(cached);
    pending ??= (async () => {
      try {
        const output = await callAws(
          options.sts as AwsClientLike,
          new AssumeRoleCommand({
            RoleArn: options.roleArn,
            RoleSessionName: ASSUME_ROLE_SESSION_NAME,
            DurationSeconds: options.durationSeconds ?? 3600,
            ...(options.externalId !== undefined ? { ExternalId: options.externalId } : {}),
          }),
          { service: 'STS', timeoutMs: options.timeoutMs ?? 10_000, retry, context: { roleArn: options.roleArn } },
        );
        const c = output.Credentials;
        if (c?.AccessKeyId === undefined || c.SecretAccessKey === undefined || c.SessionToken === undefined || c.Expiration === undefined) {
          throw new Error(`STS AssumeRole for ${options.roleArn} returned no credentials`);
        }
        cached = { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: new Date(c.Expiration) };
        return cached;
      } finally {
        pending = undefined;
      }
    })();
    return pending;
  };
}
