import { LeaseUpdate } from './LeaseUpdate';

describe('LeaseUpdate', () => {
  it('builds SET, REMOVE and ADD clauses with placeholders and a combined condition', () => {
    const built = new LeaseUpdate()
      .expectCounter(4)
      .expectOwner(undefined)
      .set('leaseCounter', { N: '5' })
      .remove('pendingCheckpoint')
      .add('ownerSwitchesSinceCheckpoint', 1)
      .build();
    expect(built).toEqual({
      UpdateExpression: 'SET #leaseCounter = :v1 REMOVE #pendingCheckpoint ADD #ownerSwitchesSinceCheckpoint :v2',
      ConditionExpression: '#leaseCounter = :v0 AND attribute_not_exists(#leaseOwner)',
      ExpressionAttributeNames: {
        '#leaseCounter': 'leaseCounter',
        '#leaseOwner': 'leaseOwner',
        '#pendingCheckpoint': 'pendingCheckpoint',
        '#ownerSwitchesSinceCheckpoint': 'ownerSwitchesSinceCheckpoint',
      },
      ExpressionAttributeValues: { ':v0': { N: '4' }, ':v1': { N: '5' }, ':v2': { N: '1' } },
    });
  });

  it('refuses to build an unconditional update', () => {
    expect(() => new LeaseUpdate().set('leaseCounter', { N: '1' }).build()).toThrow('conditional');
  });
});
