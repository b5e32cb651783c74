import { AnalyticsError } from './AnalyticsError';

/**
 * A row could not be computed (division by zero, a value that does not fit its type, a bad
 * CAST). The row goes to `error_stream` with `errorName` as its ERROR_NAME; processing goes on.
 */
export class EvaluationError extends AnalyticsError {
  /** ERROR_NAME in error_stream: `DivisionByZero`, `CoercionError`, `NumericOverflow`, `InvalidArgument`. */
  readonly errorName: string;

  constructor(errorName: string, message: string) {
    super('SQL_EVALUATION_ERROR', message);
    this.errorName = errorName;
  }
}
