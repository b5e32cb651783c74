import { DeliveredRows } from './DeliveredRows';

describe('DeliveredRows', () => {
  it('admits each input shard’s rows once, in that shard’s order, sequence numbers compared as numbers', () => {
    const delivered = new DeliveredRows();
    expect(['s0/99/0', 's1/5/0', 's0/100/0', 's0/100/0#1'].map((id) => delivered.admit(id))).toEqual([true, true, true, true]);
    // Re-delivered after a lease loss, or put twice on the intermediate stream: already in the engine.
    expect(['s0/99/0', 's0/100/0', 's0/100/0#1', 's1/5/0'].map((id) => delivered.admit(id))).toEqual([false, false, false, false]);
    expect(['s0/100/1', 's1/6/0'].map((id) => delivered.admit(id))).toEqual([true, true]);
  });

  it('admits ids it cannot read as positions', () => {
    const delivered = new DeliveredRows();
    expect([delivered.admit('custom'), delivered.admit('custom')]).toEqual([true, true]);
  });
});
