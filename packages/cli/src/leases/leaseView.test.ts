import type { Lease } from '@kinesis-toolkit/kcl';
import { describeLag, leaseJson, leaseSummary, leaseTable, sortLeases } from './leaseView';

const lease = (leaseKey: string, extra: Partial<Lease> = {}): Lease => ({
  leaseKey,
  leaseOwner: 'worker-a',
  leaseCounter: 3,
  checkpoint: { sequenceNumber: 'TRIM_HORIZON', subSequenceNumber: 0 },
  pendingCheckpoint: undefined,
  pendingCheckpointState: undefined,
  ownerSwitchesSinceCheckpoint: 0,
  parentShardIds: [],
  childShardIds: [],
  hashKeyRange: undefined,
  ...extra,
});

describe('leaseTable', () => {
  const leases = sortLeases([
    lease('shardId-000000000002', { leaseOwner: undefined, leaseCounter: 12, parentShardIds: ['shardId-000000000000'], checkpoint: { sequenceNumber: '4961', subSequenceNumber: 4 } }),
    lease('shardId-000000000000', { checkpoint: { sequenceNumber: 'SHARD_END', subSequenceNumber: 0 }, childShardIds: ['shardId-000000000001', 'shardId-000000000002'] }),
  ]);

  it('prints one aligned row per lease in shard order, with a blank LAG column without --lag', () => {
    expect(leaseTable(leases)).toBe(
      [
        'SHARD                 OWNER     COUNTER  CHECKPOINT  SUB  PARENTS               CHILDREN                                   LAG',
        '--------------------  --------  -------  ----------  ---  --------------------  -----------------------------------------  ---',
        'shardId-000000000000  worker-a        3  SHARD_END     0  -                     shardId-000000000001,shardId-000000000002',
        'shardId-000000000002  -              12  4961          4  shardId-000000000000  -',
        '',
      ].join('\n'),
    );
  });

  it('fills LAG from the measured lags', () => {
    const table = leaseTable(leases, new Map([['shardId-000000000000', { kind: 'ended' as const }], ['shardId-000000000002', { kind: 'behind' as const, millisBehindLatest: 2500 }]]));
    expect(table.split('\n')[2]).toMatch(/ ended$/);
    expect(table.split('\n')[3]).toMatch(/ 2\.5 s$/);
  });

  it('shows a pending checkpoint after the checkpoint', () => {
    const table = leaseTable([lease('s', { checkpoint: { sequenceNumber: '10', subSequenceNumber: 0 }, pendingCheckpoint: { sequenceNumber: '12', subSequenceNumber: 1 } })]);
    expect(table).toContain('10 (pending 12:1)');
  });

  it('summarises owners', () => {
    expect(leaseSummary(leases)).toBe('2 leases; 1 owner (worker-a: 1); 1 unowned\n');
    expect(leaseSummary([])).toBe('0 leases; 0 owners; 0 unowned\n');
  });
});

describe('leaseJson', () => {
  it('gives every field, null for absent ones, and the lag only when measured', () => {
    const item = lease('s', { hashKeyRange: { startingHashKey: '0', endingHashKey: '9' } });
    expect(leaseJson(item)).toEqual({
      leaseKey: 's',
      leaseOwner: 'worker-a',
      leaseCounter: 3,
      checkpoint: { sequenceNumber: 'TRIM_HORIZON', subSequenceNumber: 0 },
      pendingCheckpoint: null,
      ownerSwitchesSinceCheckpoint: 0,
      parentShardIds: [],
      childShardIds: [],
      hashKeyRange: { startingHashKey: '0', endingHashKey: '9' },
    });
    expect(leaseJson(item, { kind: 'behind', millisBehindLatest: 7 })).toMatchObject({ millisBehindLatest: 7, lag: 'behind' });
    expect(leaseJson(item, { kind: 'unknown', why: 'gone' })).toMatchObject({ millisBehindLatest: null, lag: 'unknown: gone' });
  });
});

describe('describeLag', () => {
  it.each([
    [{ kind: 'behind' as const, millisBehindLatest: 0 }, '0 ms'],
    [{ kind: 'behind' as const, millisBehindLatest: 999 }, '999 ms'],
    [{ kind: 'behind' as const, millisBehindLatest: 61_000 }, '1.0 min'],
    [{ kind: 'behind' as const, millisBehindLatest: 7_200_000 }, '2.0 h'],
    [{ kind: 'unknown' as const, why: 'x' }, '?'],
    [undefined, '?'],
  ])('%j → %s', (lag, text) => expect(describeLag(lag)).toBe(text));
});
