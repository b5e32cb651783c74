import { InMemoryLeaseStore } from './InMemoryLeaseStore';
import { leaseStoreContract } from './LeaseStore.contract';

leaseStoreContract('InMemoryLeaseStore', () => new InMemoryLeaseStore());
