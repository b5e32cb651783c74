import { NOOP_LOGGER, type Logger } from '@kinesis-toolkit/core';
import type { Imds, InstanceMetadata } from './Imds';

/**
 * The instance metadata ADDEC2METADATA adds, fetched once before the flows start (so that off
 * EC2 the agent fails at start, with a message that says why) and refreshed in the background
 * when older than a converter's `metadataTTL`; a failed refresh keeps the last good metadata
 * and logs a warning, as the agent does.
 */
export class Ec2MetadataSource {
  #metadata: InstanceMetadata;
  #fetchedAt: number;
  #refreshing: Promise<void> | undefined;

  private constructor(
    private readonly imds: Imds,
    metadata: InstanceMetadata,
    private readonly now: () => number,
    private readonly logger: Logger,
  ) {
    this.#metadata = metadata;
    this.#fetchedAt = now();
  }

  /** @throws AgentError `Ec2MetadataUnavailable` when IMDS does not answer. */
  static async fetch(imds: Imds, now: () => number = Date.now, logger: Logger = NOOP_LOGGER): Promise<Ec2MetadataSource> {
    return new Ec2MetadataSource(imds, await imds.instanceMetadata(), now, logger);
  }

  /** When the metadata was fetched, epoch milliseconds. */
  get fetchedAt(): number {
    return this.#fetchedAt;
  }

  /** The metadata now; starts a background refresh when it is older than `ttlMs`. */
  current(ttlMs: number): InstanceMetadata {
    if (this.now() - this.#fetchedAt > ttlMs && this.#refreshing === undefined) {
      this.#refreshing = this.imds
        .instanceMetadata()
        .then((metadata) => {
          this.#metadata = metadata;
          this.#fetchedAt = this.now();
        })
        .catch((error: unknown) => this.logger.warn({ error: (error as Error).message }, 'could not refresh the EC2 metadata; adding the last known'))
        .finally(() => (this.#refreshing = undefined));
    }
    return this.#metadata;
  }
}
