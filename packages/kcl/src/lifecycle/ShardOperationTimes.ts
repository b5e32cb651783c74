import { epochMsOf, type Clock } from '@kinesis-toolkit/core';
import type { OperationEvent } from './OperationEvents';
import { listening, type WorkerEventSink } from './WorkerEvents';

/**
 * The timing side of a shard consumer: when its tasks began and ended, and how long its
 * processor's callbacks took, for the `operation` events behind the KCL's task metrics
 * (BlockOnParentTask, InitializeTask, ProcessTask, ShutdownTask). Events are built only while
 * someone listens.
 */
export class ShardOperationTimes {
  /** Time in the processor factory and `initialize` (the InitializeTask's processor time). */
  initializeProcessorMs = 0;
  /** Time in the processor's shutdown-side callbacks (the ShutdownTask's processor time). */
  shutdownProcessorMs = 0;

  constructor(
    private readonly shardId: string,
    private readonly clock: Clock,
    private readonly events: WorkerEventSink,
  ) {}

  now(): number {
    return this.clock.now();
  }

  /** When an operation that began at `startedAt` (on the clock) ended: epoch timestamp and duration. */
  timing(startedAt: number): { timestamp: number; durationMs: number } {
    return { timestamp: epochMsOf(this.clock), durationMs: Math.max(0, this.clock.now() - startedAt) };
  }

  /** An `operation` event, built only while someone listens. */
  emit(build: () => OperationEvent): void {
    if (listening(this.events, 'operation')) this.events.emit('operation', build());
  }

  /** The end of the wait for parents or of the initialisation. */
  ended(operation: 'BlockOnParentTask' | 'InitializeTask', startedAt: number, success: boolean): void {
    this.emit(() =>
      operation === 'InitializeTask'
        ? { operation, shardId: this.shardId, success, ...this.timing(startedAt), processorTimeMs: this.initializeProcessorMs }
        : { operation, shardId: this.shardId, success, ...this.timing(startedAt) },
    );
  }

  /** Runs a processor's shutdown-side callback, adding its time to the ShutdownTask's processor time. */
  async timeShutdown(call: () => Promise<unknown>): Promise<void> {
    const startedAt = this.clock.now();
    await call();
    this.shutdownProcessorMs += this.clock.now() - startedAt;
  }
}
