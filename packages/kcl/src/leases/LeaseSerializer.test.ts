import fc from 'fast-check';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { MalformedLeaseError } from './errors';
import type { Lease } from './Lease';
import { deserializeLease, serializeLease, type LeaseItem } from './LeaseSerializer';
import { MAX_HASH_KEY } from '@kinesis-toolkit/core';
import { SENTINEL_CHECKPOINTS } from './leaseValidation';

const SEQ = '49590338271490256608559692538361571095921575989136588898';

/** The smallest item the Java KCL can read. */
const minimal = (fields: LeaseItem = {}): LeaseItem => ({
  leaseKey: { S: 'shardId-000000000001' },
  leaseCounter: { N: '3' },
  checkpoint: { S: SEQ },
  ...fields,
});

function problemOf(item: LeaseItem): string {
  try {
    deserializeLease(item);
  } catch (error) {
    expect(error).toBeInstanceOf(MalformedLeaseError);
    return (error as Error).message;
  }
  throw new Error('expected a MalformedLeaseError');
}

describe('LeaseSerializer', () => {
  it('reads a minimal item with the Java KCL defaults', () => {
    expect(deserializeLease(minimal())).toEqual({
      leaseKey: 'shardId-000000000001',
      leaseOwner: undefined,
      leaseCounter: 3,
      checkpoint: { sequenceNumber: SEQ, subSequenceNumber: 0 },
      pendingCheckpoint: undefined,
      pendingCheckpointState: undefined,
      ownerSwitchesSinceCheckpoint: 0,
      parentShardIds: [],
      childShardIds: [],
      hashKeyRange: undefined,
    } satisfies Lease);
  });

  it('ignores unknown attributes and treats NULL-typed optional ones as absent', () => {
    const lease = deserializeLease(minimal({ throughputKBps: { N: '1.5' }, leaseOwner: { NULL: true }, childShardIds: { NULL: true }, x: { BOOL: true } }));
    expect(lease.leaseOwner).toBeUndefined();
    expect(lease.childShardIds).toEqual([]);
  });

  it.each<[string, LeaseItem, string]>([
    ['missing leaseKey', { leaseCounter: { N: '1' }, checkpoint: { S: 'LATEST' } }, 'leaseKey is missing'],
    ['numeric leaseKey', minimal({ leaseKey: { N: '7' } }), 'leaseKey is of type N, expected S'],
    ['empty leaseKey', minimal({ leaseKey: { S: '' } }), 'leaseKey is an empty string'],
    ['NULL leaseCounter', minimal({ leaseCounter: { NULL: true } }), 'leaseCounter is missing'],
    ['negative leaseCounter', minimal({ leaseCounter: { N: '-1' } }), 'expected a non-negative integer'],
    ['leaseCounter past 2^53', minimal({ leaseCounter: { N: '9007199254740993' } }), 'below 2^53'],
    ['binary checkpoint', minimal({ checkpoint: { B: new Uint8Array(1) } }), 'checkpoint is of type B, expected S'],
    ['empty checkpoint', minimal({ checkpoint: { S: '' } }), 'checkpoint is an empty string'],
    ['bad sub-sequence number', minimal({ checkpointSubSequenceNumber: { S: '5' } }), 'checkpointSubSequenceNumber is of type S'],
    ['bad pending checkpoint', minimal({ pendingCheckpoint: { S: '12ab' } }), 'pendingCheckpoint is "12ab"'],
    ['string pendingCheckpointState', minimal({ pendingCheckpointState: { S: 'state' } }), 'pendingCheckpointState is of type S, expected B'],
    ['list of parents', minimal({ parentShardId: { L: [{ S: 'shardId-0' }] } }), 'parentShardId is of type L, expected SS'],
    ['empty owner', minimal({ leaseOwner: { S: '' } }), 'leaseOwner is an empty string'],
    ['hash key past 2^128-1', minimal({ startingHashKey: { S: '0' }, endingHashKey: { S: String(MAX_HASH_KEY + 1n) } }), 'endingHashKey is'],
    ['inverted hash-key range', minimal({ startingHashKey: { S: '10' }, endingHashKey: { S: '9' } }), 'is above endingHashKey'],
    ['half a hash-key range', minimal({ startingHashKey: { S: '10' } }), 'startingHashKey is present without the other end'],
  ])('reports %s', (_, item, problem) => {
    const message = problemOf(item);
    expect(message).toContain(problem);
  });

  it('names the leaseKey in the error', () => {
    const error = (() => {
      try {
        return deserializeLease(minimal({ leaseCounter: { S: 'x' } }));
      } catch (e) {
        return e as MalformedLeaseError;
      }
    })() as MalformedLeaseError;
    expect(error.context.leaseKey).toBe('shardId-000000000001');
    expect(error.message).toContain('"shardId-000000000001"');
  });

  it('reads a numeric pendingCheckpointState (written by the Java KCL toDynamoRecord) as no state', () => {
    expect(deserializeLease(minimal({ pendingCheckpointState: { N: '0' } })).pendingCheckpointState).toBeUndefined();
  });

  const digits = fc.stringMatching(/^(0|[1-9][0-9]{0,59})$/); // Kinesis sequence numbers: no leading zeros
  const position = fc.record({
    sequenceNumber: fc.oneof(digits, fc.constantFrom(...SENTINEL_CHECKPOINTS)),
    subSequenceNumber: fc.nat(),
  });
  const shardIds = fc.uniqueArray(fc.stringMatching(/^shardId-[0-9]{12}$/), { maxLength: 3 });
  const hashKey = fc.bigInt({ min: 0n, max: MAX_HASH_KEY });
  const lease: fc.Arbitrary<Lease> = fc.record({
    leaseKey: fc.string({ minLength: 1, maxLength: 40 }),
    leaseOwner: fc.option(fc.string({ minLength: 1 }), { nil: undefined }),
    leaseCounter: fc.nat(),
    checkpoint: position,
    pendingCheckpoint: fc.option(position, { nil: undefined }),
    pendingCheckpointState: fc.option(fc.uint8Array({ maxLength: 16 }), { nil: undefined }),
    ownerSwitchesSinceCheckpoint: fc.nat(),
    parentShardIds: shardIds.map((ids) => ids.sort()),
    childShardIds: shardIds.map((ids) => ids.sort()),
    hashKeyRange: fc.option(
      fc.tuple(hashKey, hashKey).map(([a, b]) => (a <= b ? [a, b] : [b, a])).map(([a, b]) => ({ startingHashKey: String(a), endingHashKey: String(b) })),
      { nil: undefined },
    ),
  });

  it('round-trips any valid lease, with only Java KCL attributes of Java KCL types', () => {
    const types: Record<string, keyof AttributeValue> = {
      leaseKey: 'S',
      leaseOwner: 'S',
      leaseCounter: 'N',
      ownerSwitchesSinceCheckpoint: 'N',
      checkpoint: 'S',
      checkpointSubSequenceNumber: 'N',
      pendingCheckpoint: 'S',
      pendingCheckpointSubSequenceNumber: 'N',
      pendingCheckpointState: 'B',
      parentShardId: 'SS',
      childShardIds: 'SS',
      startingHashKey: 'S',
      endingHashKey: 'S',
    };
    fc.assert(
      fc.property(lease, (original) => {
        const item = serializeLease(original);
        for (const [name, value] of Object.entries(item)) {
          expect(Object.keys(value)).toEqual([types[name]]);
        }
        expect(deserializeLease(item)).toEqual(original);
      }),
    );
  });
});
