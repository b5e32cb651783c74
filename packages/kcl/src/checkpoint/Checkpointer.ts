import type { UserRecord } from '@kinesis-toolkit/aggregation';
import { InvalidCheckpointError } from '../errors';
import type { ExtendedSequenceNumber } from '../leases/Lease';
import type { LeaseHandle } from '../coordinator/LeaseHandle';
import { compareExtended } from './sequenceOrder';

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

/**
 * Records a shard's progress in the lease table. Each checkpoint is a conditional write on the
 * lease's owner and counter, so a worker that lost the lease cannot move it (`LeaseLostError`).
 * Positions are validated: not before the last checkpoint, not past what was delivered
 * (`InvalidCheckpointError`).
 */
export class Checkpointer {
  constructor(
    private readonly handle: LeaseHandle,
    private readonly progress: CheckpointProgress,
  ) {}

  /**
   * Checkpoints the last record delivered (or, after `shardEnded`, SHARD_END); or the given
   * record; or a sequence number with an optional sub-sequence number.
   */
  async checkpoint(position?: UserRecord | string, subSequenceNumber = 0): Promise<void> {
    const target = this.#resolve(position, subSequenceNumber);
    this.#validate(target);
    await this.handle.checkpoint(target);
    this.progress.lastCheckpoint = target;
  }

  /**
   * Stores a pending checkpoint without committing it: a worker that takes the lease next sees it
   * in `initialize` and can finish what was prepared. Commit it with the returned `checkpoint()`.
   */
  async prepareCheckpoint(position?: UserRecord | string, subSequenceNumber = 0, state?: Uint8Array): Promise<PreparedCheckpointer> {
    const target = this.#resolve(position, subSequenceNumber);
    this.#validate(target);
    await this.handle.prepare(target, state);
    return {
      pendingCheckpoint: target,
      checkpoint: async () => {
        this.#validate(target);
        await this.handle.checkpoint(target);
        this.progress.lastCheckpoint = target;
      },
    };
  }

  #resolve(position: UserRecord | string | undefined, subSequenceNumber: number): ExtendedSequenceNumber {
    if (position === undefined) {
      if (this.progress.shardEnded) return { sequenceNumber: 'SHARD_END', subSequenceNumber: 0 };
      if (this.progress.lastDelivered === undefined) {
        throw new InvalidCheckpointError(this.handle.shardId, 'nothing has been delivered yet to checkpoint');
      }
      return this.progress.lastDelivered;
    }
    if (typeof position === 'string') {
      if (!/^[0-9]+$/.test(position)) throw new InvalidCheckpointError(this.handle.shardId, `not a sequence number: ${JSON.stringify(position)}`);
      if (!Number.isInteger(subSequenceNumber) || subSequenceNumber < 0) {
        throw new InvalidCheckpointError(this.handle.shardId, `subSequenceNumber must be a non-negative integer, got ${subSequenceNumber}`);
      }
      return { sequenceNumber: position, subSequenceNumber };
    }
    return { sequenceNumber: position.sequenceNumber, subSequenceNumber: position.subSequenceNumber };
  }

  #validate(target: ExtendedSequenceNumber): void {
    const shardId = this.handle.shardId;
    if (target.sequenceNumber === 'SHARD_END') {
      if (!this.progress.shardEnded) throw new InvalidCheckpointError(shardId, 'SHARD_END before the shard has ended');
      return;
    }
    if (compareExtended(target, this.progress.lastCheckpoint) < 0) {
      throw new InvalidCheckpointError(shardId, `position ${format(target)} is before the last checkpoint ${format(this.progress.lastCheckpoint)}`);
    }
    const delivered = this.progress.lastDelivered;
    if (delivered === undefined || compareExtended(target, delivered) > 0) {
      throw new InvalidCheckpointError(shardId, `position ${format(target)} is past the last record delivered${delivered ? ` (${format(delivered)})` : ''}`);
    }
  }
}

function format(position: ExtendedSequenceNumber): string {
  return `${position.sequenceNumber}/${position.subSequenceNumber}`;
}
