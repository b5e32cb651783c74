/** A CBOR answer whose content does not fit the operation's output shape (a member of the wrong type). */
export class WireShapeError extends Error {
  override readonly name = 'WireShapeError';

  constructor(
    /** Where: `GetRecords.Records[3].Data`. */
    readonly path: string,
    expected: string,
    got: unknown,
  ) {
    super(`${path}: expected ${expected} in the CBOR answer, got ${got === null ? 'null' : typeof got}`);
  }
}
