import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import type { S3Client } from '@aws-sdk/client-s3';
import type { FirehoseClient } from '@aws-sdk/client-firehose';
import type { TestCredentials } from '../aws/clientConfig';
import type { LocalFirehose } from '../firehose/LocalFirehose';

/** One emulated service: where it listens and a client configured for it. */
export interface ServiceHandle<Client> {
  /** `http://127.0.0.1:PORT`. */
  readonly endpoint: string;
  /** An AWS SDK v3 client for `endpoint`, with the fake credentials and the test region. */
  readonly client: Client;
}

/** Clients and endpoints of the three emulated AWS services. */
export interface AwsServices {
  /** kinesalite. */
  readonly kinesis: ServiceHandle<KinesisClient>;
  /** dynalite. */
  readonly dynamodb: ServiceHandle<DynamoDBClient>;
  /** s3rver; its client uses path-style addressing. */
  readonly s3: ServiceHandle<S3Client>;
  /** The region every client uses: `us-east-1`. */
  readonly region: string;
  /** The fake credentials every client signs with. */
  readonly credentials: TestCredentials;
}

/** A running local AWS stack, from {@link startLocalStack}. */
export interface LocalStack extends AwsServices {
  /** The local Firehose endpoint (on this stack's Kinesis and S3), a client for it, and the server (to register Glue tables and Lambda functions). */
  readonly firehose: ServiceHandle<FirehoseClient> & { readonly server: LocalFirehose };
  /** Destroys the clients and stops the emulators; all data is gone. Safe to call more than once. */
  stop(): Promise<void>;
}
