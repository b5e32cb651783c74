/** What support/workerScenario.ts (a child process) and kcl.integ.test.ts exchange. */

export type Scenario = 'start' | 'startTwice' | 'deliver' | 'checkpoints' | 'noShardEnded';

export interface ScenarioConfig {
  readonly scenario: Scenario;
  readonly streamName: string;
  readonly applicationName: string;
  readonly kinesisEndpoint: string;
  readonly dynamodbEndpoint: string;
}

/** An outcome as it crosses the process boundary. */
export interface ReportedOutcome {
  readonly kind: 'returned' | 'resolved' | 'threw' | 'rejected';
  readonly name?: string;
  readonly code?: string;
  readonly retryable?: boolean;
  readonly toolkit?: boolean;
  readonly message?: string;
  /** The error's `context.streamName`, if it has one. */
  readonly streamName?: string;
}

export type ScenarioMessage =
  | { readonly type: 'started'; readonly outcome: ReportedOutcome }
  | { readonly type: 'startedAgain'; readonly outcome: ReportedOutcome }
  | { readonly type: 'delivered'; readonly data: string; readonly sequenceNumber: string }
  | { readonly type: 'checkpoint'; readonly name: string; readonly outcome: ReportedOutcome }
  | { readonly type: 'event'; readonly event: string; readonly outcome: ReportedOutcome }
  | { readonly type: 'unhandledRejection'; readonly outcome: ReportedOutcome };

/** Bad checkpoint arguments, tried in order on the first batch of the `checkpoints` scenario. */
export const BAD_CHECKPOINTS: readonly (readonly [string, unknown])[] = [
  ['checkpoint(123)', 123],
  ['checkpoint(null)', null],
  ["checkpoint({ sequenceNumber: 'abc' })", { sequenceNumber: 'abc' }],
  ["checkpoint('abc')", 'abc'],
  ['checkpoint({})', {}],
  ['checkpoint(true)', true],
];
