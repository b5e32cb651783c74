import { KeyLanes } from './KeyLanes';
import type { OutgoingRecord, PendingRecord } from '../buffering/PendingRecord';
import { pendingRecord } from '../../test/pendingRecord';

function outgoingOf(...records: PendingRecord[]): OutgoingRecord {
  return { records, partitionKey: 'a', explicitHashKey: undefined, data: new Uint8Array(), bytes: 0, aggregated: true, routeKey: 's', predictedShardId: 's', deadline: 0, stage: 'metered' };
}

describe('KeyLanes', () => {
  it('lets a key send one Kinesis record at a time: later records wait until it is finished, then come out in put() order', () => {
    const lanes = new KeyLanes();
    const [a0, a1, a2, b0] = [pendingRecord('a', 'a0'), pendingRecord('a', 'a1'), pendingRecord('a', 'a2'), pendingRecord('b', 'b0')];
    expect(lanes.admit(a0!)).toBe(true);
    expect(lanes.admit(a1!)).toBe(true); // a0 is only buffered: a1 may join it
    const first = outgoingOf(a0!);
    lanes.sending(first);
    expect(lanes.blocked(a1!)).toBe(true);
    expect(lanes.admit(a2!)).toBe(false);
    expect(lanes.admit(b0!)).toBe(true); // another key is not held back
    expect(lanes.blocked(b0!)).toBe(false);
    // a1 was buffered before a2 waited: the packer parks it ahead of a2.
    lanes.park([a1!]);
    expect(lanes.finished(first)).toEqual([a1, a2]);
    expect(lanes.blocked(a1!)).toBe(false);
    expect(lanes.admit(pendingRecord('a', 'a3'))).toBe(true);
  });

  it('releases only unsettled records, and forgets a key once none of its records is left', () => {
    const lanes = new KeyLanes();
    const [a0, a1, a2] = [pendingRecord('a', 'a0'), pendingRecord('a', 'a1'), pendingRecord('a', 'a2')];
    lanes.admit(a0!);
    const out = outgoingOf(a0!);
    lanes.sending(out);
    lanes.admit(a1!);
    lanes.admit(a2!);
    a1!.settled = true; // expired while waiting
    lanes.settled(a1!);
    expect(lanes.finished(out)).toEqual([a2]);
    expect(lanes.size).toBe(1);
    for (const record of [a0!, a2!]) lanes.settled(record);
    expect(lanes.size).toBe(0);
  });

  it('finishing a Kinesis record frees only the keys it was the record out for', () => {
    const lanes = new KeyLanes();
    const [a0, b0] = [pendingRecord('a', 'a0'), pendingRecord('b', 'b0')];
    lanes.admit(a0!);
    lanes.admit(b0!);
    const first = outgoingOf(a0!, b0!);
    lanes.sending(first);
    const b1 = pendingRecord('b', 'b1');
    lanes.admit(b1);
    lanes.finished(first);
    const second = outgoingOf(b1);
    lanes.sending(second);
    // An old record finishing again (a second answer path) does not free b.
    expect(lanes.finished(first)).toEqual([]);
    expect(lanes.blocked(b1)).toBe(true);
  });
});
