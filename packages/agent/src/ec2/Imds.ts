import { withDeadline } from '@kinesis-toolkit/core';
import { AgentError } from '../errors/AgentError';

/** The instance identity and tags ADDEC2METADATA adds. */
export interface InstanceMetadata {
  readonly privateIp: string | undefined;
  readonly availabilityZone: string | undefined;
  readonly instanceId: string | undefined;
  readonly instanceType: string | undefined;
  readonly accountId: string | undefined;
  readonly imageId: string | undefined;
  readonly region: string | undefined;
  /** The instance's tags, when "instance tags in metadata" is enabled; empty otherwise. */
  readonly tags: Readonly<Record<string, string>>;
}

/** Where IMDS is and how long each request may take. */
export interface ImdsOptions {
  /** @defaultValue `AWS_EC2_METADATA_SERVICE_ENDPOINT`, else `http://169.254.169.254` */
  readonly endpoint?: string;
  /** Each request's deadline: off EC2 nothing answers, and the error comes after this. @defaultValue 1000 */
  readonly timeoutMs?: number;
}

const TOKEN_TTL_SECONDS = '21600';

/**
 * A small IMDSv2 client: a session token (`PUT /latest/api/token`), then the instance identity
 * document and the instance's tags, each request with a deadline. Off EC2 (nothing at
 * 169.254.169.254) or with IMDS disabled it fails with an {@link AgentError}
 * (`Ec2MetadataUnavailable`) that says so, instead of hanging.
 */
export class Imds {
  readonly endpoint: string;
  readonly #timeoutMs: number;

  constructor(options: ImdsOptions = {}) {
    this.endpoint = (options.endpoint ?? process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT ?? 'http://169.254.169.254').replace(/\/+$/, '');
    this.#timeoutMs = options.timeoutMs ?? 1000;
  }

  /** @throws AgentError `Ec2MetadataUnavailable` when IMDS does not answer in time or refuses. */
  async instanceMetadata(): Promise<InstanceMetadata> {
    const token = await this.#request('PUT', '/latest/api/token', { 'x-aws-ec2-metadata-token-ttl-seconds': TOKEN_TTL_SECONDS });
    if (token.status !== 200) throw this.#unavailable(`PUT /latest/api/token answered HTTP ${token.status} (IMDSv2 disabled?)`);
    const headers = { 'x-aws-ec2-metadata-token': token.body };
    const identity = await this.#request('GET', '/latest/dynamic/instance-identity/document', headers);
    if (identity.status !== 200) throw this.#unavailable(`the instance identity document answered HTTP ${identity.status}`);
    let document: Record<string, unknown>;
    try {
      document = JSON.parse(identity.body) as Record<string, unknown>;
    } catch (error) {
      throw this.#unavailable(`the instance identity document is not JSON (${(error as Error).message})`, error);
    }
    const text = (field: string): string | undefined => (typeof document[field] === 'string' ? (document[field] as string) : undefined);
    const tags: Record<string, string> = {};
    const keys = await this.#request('GET', '/latest/meta-data/tags/instance', headers);
    // 404: instance tags are not exposed in the metadata (an instance option); then there are none to add.
    if (keys.status === 200) {
      for (const key of keys.body.split('\n').filter((k) => k !== '')) {
        const value = await this.#request('GET', `/latest/meta-data/tags/instance/${encodeURIComponent(key)}`, headers);
        if (value.status === 200) tags[key] = value.body;
      }
    }
    return {
      privateIp: text('privateIp'),
      availabilityZone: text('availabilityZone'),
      instanceId: text('instanceId'),
      instanceType: text('instanceType'),
      accountId: text('accountId'),
      imageId: text('imageId'),
      region: text('region'),
      tags,
    };
  }

  async #request(method: string, path: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
    try {
      return await withDeadline(`IMDS ${method} ${path}`, this.#timeoutMs, async (signal) => {
        const response = await fetch(`${this.endpoint}${path}`, { method, headers, signal });
        return { status: response.status, body: await response.text() };
      });
    } catch (error) {
      throw this.#unavailable(`${method} ${path} got no answer within ${this.#timeoutMs} ms (${(error as Error).message})`, error);
    }
  }

  #unavailable(why: string, cause?: unknown): AgentError {
    return new AgentError(
      'Ec2MetadataUnavailable',
      `ADDEC2METADATA: the EC2 instance metadata service at ${this.endpoint} is not usable: ${why}. Not on EC2? Remove ADDEC2METADATA from dataProcessingOptions, or enable IMDSv2 on the instance`,
      { retryable: false, cause, context: { endpoint: this.endpoint } },
    );
  }
}
