import { DescribeStreamSummaryCommand, ListShardsCommand, type KinesisClient, type ListShardsCommandInput, type Shard, type StreamDescriptionSummary } from '@aws-sdk/client-kinesis';
import { RetryPolicy, callAws, listAllShards, type Clock, type CommandOutputOf, type Logger } from '@kinesis-toolkit/core';

/** What a {@link KinesisApi} needs: the client, the stream and the worker's deadline and runtime. */
export interface KinesisApiSettings {
  readonly client: KinesisClient;
  readonly streamName: string | undefined;
  readonly streamARN: string | undefined;
  /** The deadline of each attempt (the worker's `requestTimeoutMs`). */
  readonly requestTimeoutMs: number;
  readonly clock: Clock;
  readonly random: () => number;
  readonly logger: Logger;
}

/** Per-call settings of {@link KinesisApi.send}. */
export interface KinesisCallOptions {
  /** Abandons the call (and any wait between attempts): the promise rejects with the signal's reason. */
  readonly signal?: AbortSignal | undefined;
  /** The shard the call is about, for errors and logs. */
  readonly shardId?: string | undefined;
  /**
   * Retry throttled and transient failures under the control-plane policy (ListShards,
   * DescribeStreamSummary, consumer registration); `false` for one attempt, when the caller's own
   * loop backs off (GetRecords, GetShardIterator, SubscribeToShard). @defaultValue true
   */
  readonly retry?: boolean;
}

/**
 * The worker's Kinesis calls, each through core's `callAws`: a deadline per attempt
 * (`requestTimeoutMs`; the request is aborted when it passes), the one classifier, and for
 * control-plane calls the retry policy below; what finally fails is an `AwsRequestError` naming the
 * operation, the AWS code and the stream (and shard). Not a retry layer of its own.
 */
export class KinesisApi {
  /** Control-plane retries: 4 attempts, full jitter from 200 ms, capped at 2 s. */
  readonly controlPlaneRetry: RetryPolicy;

  constructor(readonly settings: KinesisApiSettings) {
    this.controlPlaneRetry = new RetryPolicy({ baseDelayMs: 200, maxDelayMs: 2_000, maxAttempts: 4 }, { clock: settings.clock, random: settings.random });
  }

  get streamLabel(): string {
    return this.settings.streamName ?? this.settings.streamARN ?? '(stream)';
  }

  /** Sends one command with the worker's deadline (and, unless `retry: false`, control-plane retries). */
  send<C extends object>(command: C, options: KinesisCallOptions = {}): Promise<CommandOutputOf<C>> {
    const { streamName, streamARN } = this.settings;
    const context = { streamName: streamName ?? streamARN, ...(options.shardId === undefined ? {} : { shardId: options.shardId }) };
    return callAws(this.settings.client, command, {
      service: 'Kinesis',
      timeoutMs: this.settings.requestTimeoutMs,
      retry: options.retry === false ? undefined : this.controlPlaneRetry,
      clock: this.settings.clock,
      signal: options.signal,
      context,
      logger: this.settings.logger,
    });
  }

  /** The stream's summary (its ARN and status): the check `start()` makes before anything else. */
  async describeStream(signal?: AbortSignal): Promise<StreamDescriptionSummary> {
    const { streamName, streamARN } = this.settings;
    const out = await this.send(new DescribeStreamSummaryCommand(streamARN === undefined ? { StreamName: streamName } : { StreamARN: streamARN }), { signal });
    if (out.StreamDescriptionSummary === undefined) throw new Error(`DescribeStreamSummary of ${this.streamLabel} returned no summary`);
    return out.StreamDescriptionSummary;
  }

  /** Every shard of the stream (all pages of ListShards, through core's `listAllShards`). */
  listShards(options: { readonly signal?: AbortSignal | undefined; readonly openOnly?: boolean } = {}): Promise<Shard[]> {
    // The page input is what listAllShards builds from these options (a filter Type of our own choosing).
    return listAllShards((input) => this.send(new ListShardsCommand(input as ListShardsCommandInput), { signal: options.signal }), {
      streamName: this.settings.streamARN === undefined ? this.settings.streamName : undefined,
      streamARN: this.settings.streamARN,
      shardFilter: options.openOnly === true ? { Type: 'AT_LATEST' } : undefined,
    });
  }
}
