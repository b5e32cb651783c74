/**
 * An error the local Firehose endpoint answers with, as Firehose does: HTTP 400 (500 for
 * `ServiceUnavailableException`: 503), `x-amzn-ErrorType` and a JSON body `{"__type", "message"}`,
 * which the AWS SDK turns into its exception class of that name.
 */
export class FirehoseApiError extends Error {
  constructor(
    readonly type: 'InvalidArgumentException' | 'ResourceNotFoundException' | 'ResourceInUseException' | 'LimitExceededException' | 'ServiceUnavailableException' | 'UnknownOperationException' | 'SerializationException',
    message: string,
  ) {
    super(message);
    this.name = type;
  }

  get status(): number {
    return this.type === 'ServiceUnavailableException' ? 503 : 400;
  }
}
