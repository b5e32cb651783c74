// The error codes of the services kinesis-toolkit calls (Kinesis, DynamoDB, S3, Firehose,
// CloudWatch, STS), by what a retry can do about them. Codes not listed fall back to the HTTP
// status and `$fault` (see classifyAwsError).

/** The service is shedding load or a quota was hit for now: retry with backoff (the KPL may fail these at once with failIfThrottled). */
export const THROTTLED_CODES: ReadonlySet<string> = new Set([
  'ProvisionedThroughputExceededException', // Kinesis (per record too), DynamoDB
  'LimitExceededException', // Kinesis control plane (too many concurrent calls), Firehose
  'KMSThrottlingException', // Kinesis (per record too)
  'ThrottlingException', // DynamoDB, Kinesis control plane
  'Throttling', // CloudWatch, STS
  'ThrottledException',
  'RequestLimitExceeded', // DynamoDB (account level)
  'RequestThrottled',
  'RequestThrottledException',
  'TooManyRequestsException',
  'SlowDown', // S3
  'ServiceUnavailableException', // Firehose: PutRecord(Batch) throttling is reported as this
  'BandwidthLimitExceeded',
  'PriorRequestNotComplete',
  'EC2ThrottledException',
]);

/** A failure on the service's side or on the way there: retry with backoff. */
export const TRANSIENT_CODES: ReadonlySet<string> = new Set([
  'InternalFailure', // Kinesis (per record too), CloudWatch
  'InternalFailureException', // Kinesis (SubscribeToShard event stream)
  'InternalError', // S3
  'InternalServerError', // DynamoDB
  'InternalServiceError',
  'InternalServiceFault', // CloudWatch
  'ServiceUnavailable', // S3, generic 503
  'ServiceUnavailableError',
  'RequestTimeout', // S3: the connection was idle too long
  'RequestTimeoutException',
  'RequestTimeTooSkewed', // the SDK corrects its clock offset and the next attempt passes
  'TimeoutError', // the SDK's own socket timeout
  'TransactionConflictException', // DynamoDB
  'TransactionInProgressException', // DynamoDB
  'ReplicatedWriteConflictException', // DynamoDB global tables
  'InvalidEndpointException', // DynamoDB endpoint discovery: the next attempt uses a fresh endpoint
  'IDPCommunicationError', // STS
  'EC2MetadataError',
  'DEADLINE_EXCEEDED', // kinesis-toolkit: a call abandoned at its deadline
]);

/** The credentials in use have expired: a retry after the provider refreshes them can succeed. */
export const EXPIRED_CREDENTIALS_CODES: ReadonlySet<string> = new Set([
  'ExpiredTokenException', // Kinesis, DynamoDB, STS
  'ExpiredToken', // S3, CloudWatch
  'RequestExpired', // a signature that was held back too long
  'TokenRefreshRequired',
]);

/**
 * Retrying the same request cannot help: the resource, the input or the permission is wrong.
 * Listed so that a known 4xx is never mistaken for something else; every other 4xx with a
 * `$fault` of `client` is fatal too.
 */
export const FATAL_CODES: ReadonlySet<string> = new Set([
  // Kinesis
  'ResourceNotFoundException',
  'ResourceInUseException',
  'InvalidArgumentException',
  'AccessDeniedException',
  'ExpiredIteratorException', // the caller gets a fresh iterator: retrying the same call cannot help
  'ExpiredNextTokenException',
  'KMSAccessDeniedException',
  'KMSDisabledException',
  'KMSInvalidStateException',
  'KMSNotFoundException',
  'KMSOptInRequired',
  'ValidationException',
  // DynamoDB
  'ConditionalCheckFailedException',
  'ItemCollectionSizeLimitExceededException',
  'TransactionCanceledException',
  'TableNotFoundException',
  'BackupInUseException',
  // S3
  'NoSuchBucket',
  'NoSuchKey',
  'NoSuchUpload',
  'AccessDenied',
  'InvalidBucketName',
  'EntityTooLarge',
  'EntityTooSmall',
  'InvalidPart',
  'InvalidRequest',
  'InvalidObjectState',
  'BucketAlreadyOwnedByYou',
  'PermanentRedirect',
  'MalformedXML',
  // Firehose
  'InvalidKMSResourceException',
  'InvalidSourceException',
  'ConcurrentModificationException',
  // CloudWatch
  'InvalidParameterValue',
  'InvalidParameterValueException',
  'InvalidParameterCombination',
  'InvalidParameterCombinationException',
  'MissingParameter',
  'MissingRequiredParameterException',
  'InvalidFormatFault',
  // Credentials and signing, any service
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'InvalidSignatureException',
  'IncompleteSignature',
  'MissingAuthenticationToken',
  'MissingAuthenticationTokenException',
  'NotAuthorized',
  'OptInRequired',
  'AuthFailure',
  'CredentialsProviderError',
  'SerializationException',
  'UnknownOperationException',
]);

/** Error codes of Node's network layer that mean the connection failed or broke: retryable. */
export const NETWORK_ERROR_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EADDRNOTAVAIL',
  'ERR_HTTP2_STREAM_ERROR',
  'ERR_HTTP2_SESSION_ERROR',
  'ERR_HTTP2_GOAWAY_SESSION',
  'ERR_HTTP2_STREAM_CANCEL',
  'ERR_HTTP2_ERROR',
  'ERR_STREAM_PREMATURE_CLOSE',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);
