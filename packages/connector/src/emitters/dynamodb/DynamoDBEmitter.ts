import { BatchWriteItemCommand, DescribeTableCommand, DynamoDBClient, type AttributeValue, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { SDK_CLIENT_DEFAULTS, awsErrorCodeOf, callAws, classifyAwsError, type AwsClientLike } from '@kinesis-toolkit/core';
import type { EmitBatch, Emitter, EmitResult, RejectedItem } from '../Emitter';
import { EmitterError } from '../EmitterError';
import { resolveDynamoDBEmitterOptions, type DynamoDBEmitterOptions, type ResolvedDynamoDBEmitterOptions } from './DynamoDBEmitterOptions';
import { emitResult } from '../internal/emitResult';

/** What a {@link DynamoDBEmitter} writes: a plain object, or an attribute map with `itemsAreMarshalled`. */
export type DynamoDBItem = Readonly<Record<string, unknown>>;

/** DynamoDB's limit of write requests in one BatchWriteItem. */
export const MAX_BATCH_WRITE_ITEMS = 25;

interface Entry {
  readonly item: DynamoDBItem;
  readonly attributes: Record<string, AttributeValue>;
  readonly key: string;
}

/** What one emit did with the entries: written, to retry, refused for good. */
interface Outcome {
  readonly failed: DynamoDBItem[];
  readonly rejected: RejectedItem<DynamoDBItem>[];
  written: number;
}

// Errors that come from the items of a request rather than the table or the connection.
const ITEM_ERRORS = new Set(['ValidationException', 'ItemCollectionSizeLimitExceededException']);

/**
 * Writes each batch to a DynamoDB table with BatchWriteItem (PutRequests, 25 at a time, in order).
 * One attempt per `emit`, every request through core's `callAws` with a deadline: the pipeline's
 * retry policy is the one retry budget. What DynamoDB left undone — UnprocessedItems, or the
 * requests after one that failed retryably (throttling, a timeout, the network) — is returned in
 * `failed`, and the pipeline retries it, counting against the same budget. A request DynamoDB
 * refuses for its items (ValidationException: an item too large, a wrong key type) is split
 * until the bad items are found; they are `rejected` (never retried) and the rest written. A
 * missing table or denied access throws a non-retryable {@link EmitterError}.
 *
 * Items are plain objects marshalled with `@aws-sdk/util-dynamodb` (or attribute maps, with
 * `itemsAreMarshalled`). Puts are idempotent: re-emitting a batch writes the same items again.
 * Items with the same key never share a request, and once an item fails, later items with its
 * key in the batch fail too, so a retry cannot overwrite a newer item with an older one.
 */
export class DynamoDBEmitter implements Emitter<DynamoDBItem> {
  readonly #config: ResolvedDynamoDBEmitterOptions;
  readonly #client: DynamoDBClient;
  readonly #ownClient: DynamoDBClient | undefined;
  #keyAttributes: Promise<readonly string[]> | undefined;
  #resolvedKeys: readonly string[] = [];

  /** @throws InvalidArgumentError for bad options. */
  constructor(options: DynamoDBEmitterOptions) {
    this.#config = resolveDynamoDBEmitterOptions(options);
    this.#ownClient = this.#config.client === undefined ? new DynamoDBClient({ ...SDK_CLIENT_DEFAULTS }) : undefined;
    this.#client = this.#config.client ?? this.#ownClient!;
    if (this.#config.keyAttributes !== undefined) this.#keyAttributes = Promise.resolve(this.#config.keyAttributes);
  }

  /** Destroys the client the emitter made itself (a client you passed is yours). */
  shutdown(): void {
    this.#ownClient?.destroy();
  }

  async emit(batch: EmitBatch<DynamoDBItem>): Promise<EmitResult<DynamoDBItem>> {
    const keyAttributes = await this.keyAttributes(batch);
    const outcome: Outcome = { failed: [], rejected: [], written: 0 };
    const entries: Entry[] = [];
    for (const item of batch.items) {
      const entry = this.toEntry(item, keyAttributes, outcome);
      if (entry !== undefined) entries.push(entry);
    }
    const failedKeys = new Set<string>();
    let next = 0;
    while (next < entries.length) {
      // The next request: up to 25 entries, stopping before a key already in it.
      const chunk: Entry[] = [];
      const keys = new Set<string>();
      for (; next < entries.length && chunk.length < MAX_BATCH_WRITE_ITEMS; next += 1) {
        const entry = entries[next]!;
        if (failedKeys.has(entry.key)) {
          outcome.failed.push(entry.item);
          continue;
        }
        if (keys.has(entry.key)) break;
        keys.add(entry.key);
        chunk.push(entry);
      }
      let unwritten: Entry[];
      try {
        unwritten = await this.writeChunk(chunk, batch, outcome);
      } catch (error) {
        // Retryable trouble (throttling, timeout, network): the rest is not sent now. Nothing
        // written yet: throw, so the pipeline sees why; else the unwritten items are failed.
        if (outcome.written === 0 && outcome.rejected.length === 0) throw error;
        this.#config.logger.warn({ tableName: this.#config.tableName, error: (error as Error).message }, 'BatchWriteItem failed; the rest of the batch is left to the retry');
        unwritten = [...chunk, ...entries.slice(next).filter((entry) => !failedKeys.has(entry.key))];
        next = entries.length;
      }
      for (const entry of unwritten) {
        failedKeys.add(entry.key);
        outcome.failed.push(entry.item);
      }
    }
    return emitResult(outcome.failed, outcome.rejected);
  }

  /** Sends one request; returns the entries left unprocessed. Throws a retryable error, or a non-retryable one for the table. */
  private async writeChunk(chunk: readonly Entry[], batch: EmitBatch<DynamoDBItem>, outcome: Outcome): Promise<Entry[]> {
    const { tableName, logger } = this.#config;
    if (chunk.length === 0) return [];
    try {
      const requests: WriteRequest[] = chunk.map((entry) => ({ PutRequest: { Item: entry.attributes } }));
      const output = await this.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: requests } }), batch);
      const unprocessed = new Set((output.UnprocessedItems?.[tableName] ?? []).map((request) => this.keyOf(request.PutRequest?.Item ?? {})));
      const left = chunk.filter((entry) => unprocessed.has(entry.key));
      outcome.written += chunk.length - left.length;
      if (left.length > 0) logger.debug({ tableName, items: left.length }, 'DynamoDB returned unprocessed items; left to the retry');
      return left;
    } catch (error) {
      if (ITEM_ERRORS.has(awsErrorCodeOf(error))) return this.isolate(chunk, batch, error, outcome);
      throw new EmitterError('DynamoDBWriteFailed', `could not write to DynamoDB table ${tableName}: ${(error as Error).message}`, {
        retryable: classifyAwsError(error).retryable,
        cause: error,
        context: { streamName: batch.streamName, shardId: batch.shardId, batchId: batch.batchId, tableName },
      });
    }
  }

  /** Splits a request DynamoDB refused for its items until each bad item is alone (and rejected). */
  private async isolate(entries: readonly Entry[], batch: EmitBatch<DynamoDBItem>, error: unknown, outcome: Outcome): Promise<Entry[]> {
    if (entries.length === 1) {
      this.#config.logger.warn({ tableName: this.#config.tableName, error: (error as Error).message }, 'DynamoDB refused an item');
      outcome.rejected.push({
        item: entries[0]!.item,
        error: new EmitterError('InvalidItem', `DynamoDB table ${this.#config.tableName} refused the item: ${(error as Error).message}`, {
          cause: error,
          context: { streamName: batch.streamName, shardId: batch.shardId, batchId: batch.batchId, tableName: this.#config.tableName },
        }),
      });
      return [];
    }
    const middle = Math.ceil(entries.length / 2);
    return [...(await this.writeChunk(entries.slice(0, middle), batch, outcome)), ...(await this.writeChunk(entries.slice(middle), batch, outcome))];
  }

  /** The item as an attribute map with its key, or undefined (rejected) if it cannot be written. */
  private toEntry(item: DynamoDBItem, keyAttributes: readonly string[], outcome: Outcome): Entry | undefined {
    const { itemsAreMarshalled, marshallOptions, logger } = this.#config;
    try {
      if (item === null || typeof item !== 'object' || Array.isArray(item)) throw new TypeError(`expected an object, got ${typeof item}`);
      const attributes = itemsAreMarshalled ? (item as Record<string, AttributeValue>) : marshall(item, marshallOptions);
      const missing = keyAttributes.filter((name) => attributes[name] === undefined);
      if (missing.length > 0) throw new TypeError(`the item lacks its key attribute ${missing.join(', ')}`);
      return { item, attributes, key: this.keyOf(attributes, keyAttributes) };
    } catch (error) {
      logger.warn({ tableName: this.#config.tableName, error: String(error) }, 'item cannot be written to DynamoDB');
      outcome.rejected.push({ item, error: new EmitterError('InvalidItem', `cannot write the item to DynamoDB: ${(error as Error).message}`, { cause: error }) });
      return undefined;
    }
  }

  private keyOf(attributes: Record<string, AttributeValue>, keyAttributes: readonly string[] = this.#resolvedKeys): string {
    return JSON.stringify(keyAttributes.map((name) => attributes[name]));
  }

  private send<C extends object>(command: C, batch: EmitBatch<DynamoDBItem>) {
    const { tableName, requestTimeoutMs, clock } = this.#config;
    return callAws(this.#client as AwsClientLike, command, { service: 'DynamoDB', timeoutMs: requestTimeoutMs, clock, context: { tableName, shardId: batch.shardId } });
  }

  /** The key attribute names: configured, or read once with DescribeTable. */
  private async keyAttributes(batch: EmitBatch<DynamoDBItem>): Promise<readonly string[]> {
    const { tableName } = this.#config;
    this.#keyAttributes ??= this.send(new DescribeTableCommand({ TableName: tableName }), batch).then((output) => {
      const schema = output.Table?.KeySchema ?? [];
      const names = ['HASH', 'RANGE'].flatMap((type) => schema.filter((element) => element.KeyType === type).map((element) => element.AttributeName!));
      if (names.length === 0) throw new Error(`DescribeTable returned no key schema for ${tableName}`);
      return names;
    });
    try {
      this.#resolvedKeys = await this.#keyAttributes;
      return this.#resolvedKeys;
    } catch (error) {
      this.#keyAttributes = undefined;
      throw new EmitterError('DynamoDBWriteFailed', `could not describe DynamoDB table ${tableName}: ${(error as Error).message}`, {
        retryable: classifyAwsError(error).retryable,
        cause: error,
        context: { streamName: batch.streamName, shardId: batch.shardId, batchId: batch.batchId, tableName },
      });
    }
  }
}
