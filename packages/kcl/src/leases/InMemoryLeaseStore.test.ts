import { InMemoryLeaseStore } from './InMemoryLeaseStore';
import { leaseStoreContract } from './LeaseStore.contract';
import { gracefulHandoffContract } from './LeaseStore.handoff.contract';

leaseStoreContract('InMemoryLeaseStore', () => new InMemoryLeaseStore());
gracefulHandoffContract('InMemoryLeaseStore', () => new InMemoryLeaseStore());
