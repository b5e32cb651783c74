import type { UserRecord } from '@kinesis-toolkit/aggregation';
import { InvalidArgumentError, compareExtendedSequenceNumbers, describeValue, requireInteger, requireSequenceNumber } from '@kinesis-toolkit/core';
import { InvalidCheckpointError } from '../errors';
import type { ExtendedSequenceNumber } from '../leases/Lease';
import type { LeaseHandle } from '../coordinator/LeaseHandle';

/** A checkpoint prepared with {@link Checkpointer.prepareCheckpoint}, committed by `checkpoint()`. */
export interface PreparedCheckpointer {
  readonly pendingCheckpoint: ExtendedSequenceNumber;
  checkpoint(): Promise<void>;
}

/** What the shard consumer tells its checkpointer about progress. Internal. */
export interface CheckpointProgress {
  /** The last user record handed to the processor. */
  lastDelivered: ExtendedSequenceNumber | undefined;
  /** The last committed checkpoint. */
  lastCheckpoint: ExtendedSequenceNumber;
  /** Whether the whole shard has been delivered (SHARD_END may be checkpointed). */
  shardEnded: boolean;
}

/** The lease writes a checkpointer makes. Internal: a `LeaseHandle`. */
export type CheckpointTarget = Pick<LeaseHandle, 'shardId' | 'checkpoint' | 'prepare'>;

const POSITION_EXPECTED = 'a delivered UserRecord, a sequence number string, or nothing (the last record delivered)';

/**
 * Records a shard's progress in the lease table. Each checkpoint is a conditional write on the
 * lease's owner and counter, so a worker that lost the lease — or dropped it because its renewals
 * could not get through — cannot move it (`LeaseLostError`). Arguments are checked before anything
 * is written, whatever their type: not a position, before the last checkpoint, or past what was
 * delivered is an `InvalidCheckpointError` naming the argument. A checkpoint has a deadline (the
 * lease's drop time): one sent into an unreachable table rejects, it does not hang.
 */
export class Checkpointer {
  constructor(
    private readonly handle: CheckpointTarget,
    private readonly progress: CheckpointProgress,
  ) {}

  /**
   * Checkpoints the last record delivered (or, after `shardEnded`, SHARD_END); or the given
   * record; or a sequence number with an optional sub-sequence number.
   * @throws InvalidCheckpointError for a position that is not one or may not be checkpointed now
   * @throws LeaseLostError when the lease is no longer this worker's
   */
  async checkpoint(position?: UserRecord | string, subSequenceNumber: number = 0): Promise<void> {
    const target = this.#resolve(position, subSequenceNumber);
    this.#validate(target);
    await this.handle.checkpoint(target);
    this.#advance(target);
  }

  /**
   * Stores a pending checkpoint without committing it: a worker that takes the lease next sees it
   * in `initialize` and can finish what was prepared. Commit it with the returned `checkpoint()`.
   * @throws InvalidCheckpointError as `checkpoint()`, and for a `state` that is not a Uint8Array
   */
  async prepareCheckpoint(position?: UserRecord | string, subSequenceNumber: number = 0, state?: Uint8Array): Promise<PreparedCheckpointer> {
    const target = this.#resolve(position, subSequenceNumber);
    if (state !== undefined && !(state instanceof Uint8Array)) throw new InvalidCheckpointError(this.handle.shardId, 'state', `expected a Uint8Array or nothing, got ${describeValue(state)}`);
    this.#validate(target);
    await this.handle.prepare(target, state);
    return {
      pendingCheckpoint: target,
      checkpoint: async () => {
        this.#validate(target);
        await this.handle.checkpoint(target);
        this.#advance(target);
      },
    };
  }

  #advance(target: ExtendedSequenceNumber): void {
    // Two checkpoints may be in flight at once; the later position wins.
    if (compareExtendedSequenceNumbers(target, this.progress.lastCheckpoint) > 0) this.progress.lastCheckpoint = target;
  }

  #resolve(position: unknown, subSequenceNumber: unknown): ExtendedSequenceNumber {
    const shardId = this.handle.shardId;
    if (position === undefined) {
      if (this.progress.shardEnded) return { sequenceNumber: 'SHARD_END', subSequenceNumber: 0 };
      if (this.progress.lastDelivered === undefined) throw new InvalidCheckpointError(shardId, 'position', 'nothing has been delivered yet to checkpoint');
      return this.progress.lastDelivered;
    }
    try {
      if (typeof position === 'string') {
        return { sequenceNumber: requireSequenceNumber('position', position), subSequenceNumber: requireInteger('subSequenceNumber', subSequenceNumber, 0) };
      }
      if (position === null || typeof position !== 'object' || Array.isArray(position)) throw new InvalidArgumentError('position', POSITION_EXPECTED, position);
      const record = position as { sequenceNumber?: unknown; subSequenceNumber?: unknown };
      return {
        sequenceNumber: requireSequenceNumber('position.sequenceNumber', record.sequenceNumber),
        subSequenceNumber: requireInteger('position.subSequenceNumber', record.subSequenceNumber ?? 0, 0),
      };
    } catch (error) {
      if (!(error instanceof InvalidArgumentError)) throw error;
      throw new InvalidCheckpointError(shardId, error.argument, error.message.slice(error.argument.length + 2), error);
    }
  }

  #validate(target: ExtendedSequenceNumber): void {
    const shardId = this.handle.shardId;
    if (target.sequenceNumber === 'SHARD_END') {
      if (!this.progress.shardEnded) throw new InvalidCheckpointError(shardId, 'position', 'SHARD_END before the shard has ended');
      return;
    }
    if (compareExtendedSequenceNumbers(target, this.progress.lastCheckpoint) < 0) {
      throw new InvalidCheckpointError(shardId, 'position', `${format(target)} is before the last checkpoint ${format(this.progress.lastCheckpoint)}`);
    }
    const delivered = this.progress.lastDelivered;
    if (delivered === undefined || compareExtendedSequenceNumbers(target, delivered) > 0) {
      throw new InvalidCheckpointError(shardId, 'position', `${format(target)} is past the last record delivered${delivered ? ` (${format(delivered)})` : ''}`);
    }
  }
}

function format(position: ExtendedSequenceNumber): string {
  return `${position.sequenceNumber}/${position.subSequenceNumber}`;
}

