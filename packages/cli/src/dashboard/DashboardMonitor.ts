import { awsErrorCodeOf, type AwsClientLike, type TimerHandle } from '@kinesis-toolkit/core';
import { actualOwnerOf, type Lease, type LeaseStore } from '@kinesis-toolkit/kcl';
import { measureLeaseLag } from '../leases/measureLag';
import { CallMeter } from './CallMeter';
import type { ResolvedDashboardOptions } from './DashboardOptions';
import type { DashboardProblem, DashboardSnapshot, LeaseView } from './DashboardSnapshot';
import { LagTracker, type LagProbe } from './LagTracker';
import { layoutLineage } from './lineageLayout';
import { listStreamShards, type StreamShard } from './listStreamShards';
import { StreamTailSampler } from './StreamTailSampler';
import type { ThroughputSource } from './ThroughputSource';
import { ThroughputWindows } from './ThroughputWindows';
import { WorkerTracker } from './WorkerTracker';

/** What a {@link DashboardMonitor} reads through. */
export interface DashboardParts {
  /** Kinesis: ListShards, and the default lag probe and throughput source. */
  readonly kinesis: AwsClientLike;
  /** The application's lease table. */
  readonly leaseStore: LeaseStore;
  /** Counts the calls sent through the clients it wrapped. @defaultValue a meter on the options' clock, counting nothing */
  readonly callMeter?: CallMeter;
  /** @defaultValue `measureLeaseLag` on `kinesis` (the `leases --lag` measurement) */
  readonly lagProbe?: LagProbe;
  /** @defaultValue a `StreamTailSampler` on `kinesis` for `throughput: 'tail'`, none for `'off'` */
  readonly throughputSource?: ThroughputSource;
}

type Listener = (snapshot: DashboardSnapshot) => void;

/**
 * What the dashboard knows, kept fresh: every `refreshIntervalMs` it lists the stream's shards
 * (ListShards) and reads the lease table (Scan) side by side; each read starts the lag probes that
 * are due (a {@link LagTracker}); every `throughputIntervalMs` it samples the throughput source.
 * After each of these it publishes a {@link DashboardSnapshot} to its subscribers. A read that
 * fails keeps the last good data and shows as a problem until that source reads again; rounds never
 * overlap, and `close()` aborts what is in flight.
 */
export class DashboardMonitor {
  readonly #options: ResolvedDashboardOptions;
  readonly #kinesis: AwsClientLike;
  readonly #store: LeaseStore;
  readonly #meter: CallMeter;
  readonly #lags: LagTracker;
  readonly #throughputSource: ThroughputSource | undefined;
  readonly #windows: ThroughputWindows;
  readonly #workers: WorkerTracker;
  readonly #listeners = new Set<Listener>();
  readonly #problems = new Map<DashboardProblem['source'], DashboardProblem>();
  readonly #stop = new AbortController();
  readonly #timers = new Set<TimerHandle>();
  readonly #running = new Set<Promise<void>>();
  #shards: StreamShard[] = [];
  #leases: Lease[] = [];
  #shardsReadAtMs: number | null = null;
  #leasesReadAtMs: number | null = null;
  #latest: DashboardSnapshot | undefined;

  constructor(options: ResolvedDashboardOptions, parts: DashboardParts) {
    this.#options = options;
    this.#kinesis = parts.kinesis;
    this.#store = parts.leaseStore;
    this.#meter = parts.callMeter ?? new CallMeter(options.clock);
    const probe: LagProbe = parts.lagProbe ?? ((lease, signal) => measureLeaseLag(this.#kinesis, options.streamName, lease, signal));
    this.#lags = new LagTracker(probe, { intervalMs: options.lagIntervalMs, probesPerSecond: options.lagProbesPerSecond, clock: options.clock });
    this.#throughputSource = parts.throughputSource ?? (options.throughput === 'tail' ? new StreamTailSampler(this.#kinesis, { streamName: options.streamName, clock: options.clock }) : undefined);
    this.#windows = new ThroughputWindows({ windowMs: options.throughputWindowMs, bucketMs: options.throughputBucketMs, clock: options.clock });
    this.#workers = new WorkerTracker({ failoverTimeMs: options.failoverTimeMs, forgetAfterMs: options.throughputWindowMs, clock: options.clock });
  }

  /**
   * Starts the schedules: a refresh now, then one `refreshIntervalMs` after each ends; throughput
   * samples from the end of the first refresh (they need the shard list), then one
   * `throughputIntervalMs` after each ends. Resolves when the first refresh is done (its failures
   * show as problems).
   */
  async start(): Promise<void> {
    await this.#every(this.#options.refreshIntervalMs, () => this.refresh());
    if (this.#throughputSource !== undefined) void this.#every(this.#options.throughputIntervalMs, () => this.sampleThroughput());
  }

  /**
   * One read of the shards and the lease table; starts the lag probes that are due and publishes.
   * Resolves when the reads are done, not the probes (their results show in the next snapshot).
   */
  async refresh(): Promise<void> {
    const signal = this.#stop.signal;
    const [shards, listing] = await Promise.allSettled([listStreamShards(this.#kinesis, this.#options.streamName, signal), this.#store.listLeases({ signal })]);
    if (signal.aborted) return;
    const now = this.#options.clock.now();
    if (shards.status === 'fulfilled') {
      this.#shards = shards.value;
      this.#shardsReadAtMs = now;
      this.#problems.delete('shards');
      this.#windows.retain(new Set(this.#shards.map((shard) => shard.shardId)));
    } else {
      this.#problem('shards', describeFailure(shards.reason, `stream "${this.#options.streamName}"`), now);
    }
    if (listing.status === 'fulfilled') {
      this.#leases = listing.value.leases;
      this.#leasesReadAtMs = now;
      if (listing.value.malformed.length > 0) this.#problem('leases', `${listing.value.malformed.length} lease table item(s) are not leases: ${listing.value.malformed[0]!.message}`, now);
      else this.#problems.delete('leases');
      this.#workers.observe(this.#leases);
      this.#track(this.#lags.refresh(this.#leases, signal));
    } else {
      this.#problem('leases', describeFailure(listing.reason, `lease table "${this.#options.applicationName}"`, 'has a worker of this application started yet?'), now);
    }
    this.#publish();
  }

  /** One throughput sample of the shards last listed (none before the first listing); publishes. */
  async sampleThroughput(): Promise<void> {
    const source = this.#throughputSource;
    if (source === undefined || this.#shardsReadAtMs === null) return;
    const signal = this.#stop.signal;
    const sample = await source.sample(this.#shards, signal);
    if (signal.aborted) return;
    this.#windows.record(sample.observations, sample.coverage);
    if (sample.problems.length > 0) this.#problem('throughput', sample.problems.slice(0, 3).join('; ') + (sample.problems.length > 3 ? ` (and ${sample.problems.length - 3} more)` : ''), this.#options.clock.now());
    else this.#problems.delete('throughput');
    this.#publish();
  }

  /** The latest snapshot (made now if none was published yet). */
  snapshot(): DashboardSnapshot {
    return (this.#latest ??= this.#build());
  }

  /** Calls `listener` with every snapshot published from now on; returns the unsubscribe function. */
  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Stops the schedules and aborts the calls in flight; resolves when they have settled. */
  async close(): Promise<void> {
    this.#stop.abort();
    for (const timer of this.#timers) this.#options.clock.clearTimeout(timer);
    this.#timers.clear();
    this.#listeners.clear();
    await Promise.allSettled([...this.#running]);
  }

  /** Runs `task` now and `intervalMs` after each run ends; resolves when the first run ends. */
  #every(intervalMs: number, task: () => Promise<void>): Promise<void> {
    const run = (): Promise<void> => {
      if (this.#stop.signal.aborted) return Promise.resolve();
      const done = task().catch((error: unknown) => this.#options.logger.error({ err: error }, 'dashboard refresh failed'));
      this.#track(
        done.then(() => {
          if (this.#stop.signal.aborted) return;
          const timer = this.#options.clock.setTimeout(() => {
            this.#timers.delete(timer);
            void run();
          }, intervalMs);
          this.#timers.add(timer);
        }),
      );
      return done;
    };
    return run();
  }

  #track(promise: Promise<void>): void {
    const tracked = promise.finally(() => this.#running.delete(tracked));
    this.#running.add(tracked);
  }

  #problem(source: DashboardProblem['source'], message: string, now: number): void {
    const before = this.#problems.get(source);
    this.#problems.set(source, { source, message, sinceMs: before?.sinceMs ?? now });
    this.#options.logger.warn({ source, problem: message }, 'dashboard: a read failed');
  }

  #publish(): void {
    this.#latest = this.#build();
    for (const listener of this.#listeners) listener(this.#latest);
  }

  #build(): DashboardSnapshot {
    const options = this.#options;
    const layout = layoutLineage(this.#shards);
    const leases = new Map(this.#leases.map((lease) => [lease.leaseKey, lease]));
    const listed = new Set(layout.nodes.map((node) => node.shardId));
    const source = this.#throughputSource;
    return {
      streamName: options.streamName,
      applicationName: options.applicationName,
      takenAtMs: options.clock.now(),
      refreshIntervalMs: options.refreshIntervalMs,
      shardsReadAtMs: this.#shardsReadAtMs,
      leasesReadAtMs: this.#leasesReadAtMs,
      shards: layout.nodes.map((node) => {
        const lease = leases.get(node.shardId);
        return { ...node, lease: lease === undefined ? null : this.#leaseView(lease), throughput: this.#windows.throughputOf(node.shardId) ?? null };
      }),
      edges: layout.edges,
      columns: layout.columns,
      orphanLeases: this.#leases.filter((lease) => !listed.has(lease.leaseKey)).map((lease) => this.#leaseView(lease)),
      workers: this.#workers.workers(),
      throughput: {
        source: options.throughput,
        measures: source?.measures ?? null,
        description: source?.description ?? 'off (--throughput off)',
        bucketMs: options.throughputBucketMs,
        windowMs: options.throughputWindowMs,
      },
      problems: [...this.#problems.values()],
      calls: this.#meter.perMinute(),
    };
  }

  #leaseView(lease: Lease): LeaseView {
    const reading = this.#lags.readingOf(lease.leaseKey);
    return {
      leaseKey: lease.leaseKey,
      // During a graceful handoff the worker still holding the lease is its checkpointOwner.
      owner: actualOwnerOf(lease) ?? null,
      counter: lease.leaseCounter,
      checkpoint: lease.checkpoint.sequenceNumber,
      subSequenceNumber: lease.checkpoint.subSequenceNumber,
      pendingCheckpoint: lease.pendingCheckpoint?.sequenceNumber ?? null,
      ownerSwitchesSinceCheckpoint: lease.ownerSwitchesSinceCheckpoint,
      lag:
        reading === undefined
          ? null
          : {
              kind: reading.lag.kind,
              millisBehindLatest: reading.lag.kind === 'behind' ? reading.lag.millisBehindLatest : null,
              why: reading.lag.kind === 'unknown' ? reading.lag.why : null,
              measuredAtMs: reading.measuredAtMs,
              checkpoint: reading.checkpoint,
            },
    };
  }
}

/** One line for the page: what failed, with the AWS code, and what to do about a missing resource. */
function describeFailure(error: unknown, resource: string, whenMissing?: string): string {
  const codes: string[] = [];
  // A lease store error wraps core's AwsRequestError, which carries the AWS code.
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 6; current = current.cause, depth += 1) codes.push(awsErrorCodeOf(current));
  const code = codes.find((c) => c === 'ResourceNotFoundException') ?? codes[0] ?? 'UnknownError';
  if (code === 'ResourceNotFoundException') return `${resource} not found${whenMissing === undefined ? '' : ` — ${whenMissing}`}`;
  return `${resource}: ${code}: ${(error as Error)?.message ?? String(error)}`;
}
