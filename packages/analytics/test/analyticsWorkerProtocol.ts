import type { ApplicationConfig } from '../src/config/ApplicationConfig';

/** What the parent passes to test/analyticsWorkerChild.ts (as JSON in argv[2]). */
export interface AnalyticsWorkerProcessOptions {
  readonly workerId: string;
  readonly config: ApplicationConfig;
  readonly kinesisEndpoint: string;
  readonly dynamodbEndpoint: string;
  readonly s3Endpoint: string;
  readonly failoverTimeMs: number;
  /** 0: windows close only when a later row arrives. */
  readonly idleWindowCloseMs: number;
}

/** What the child reports. */
export type AnalyticsWorkerMessage =
  | { readonly type: 'started'; readonly at: number }
  | { readonly type: 'startFailed'; readonly error: string; readonly at: number }
  | { readonly type: 'progress'; readonly rowsIn: number; readonly rowsOut: number; readonly openWindowFrom: number | null; readonly heldShards: string[]; readonly at: number }
  | { readonly type: 'leaseTaken'; readonly shardId: string; readonly at: number };
