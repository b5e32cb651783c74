import { BatchWriteItemCommand, DescribeTableCommand, type AttributeValue, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { EmitBatch, Emitter, EmitResult } from '../Emitter';
import { EmitterError } from '../EmitterError';
import { isRetryableAwsError } from '../internal/classifyAwsError';
import { backoffDelayMs, sleep } from '../internal/sleep';
import { resolveDynamoDBEmitterOptions, type DynamoDBEmitterOptions, type ResolvedDynamoDBEmitterOptions } from './DynamoDBEmitterOptions';

/** What a {@link DynamoDBEmitter} writes: a plain object, or an attribute map with `itemsAreMarshalled`. */
export type DynamoDBItem = Readonly<Record<string, unknown>>;

/** DynamoDB's limit of write requests in one BatchWriteItem. */
export const MAX_BATCH_WRITE_ITEMS = 25;

interface Entry {
  readonly item: DynamoDBItem;
  readonly attributes: Record<string, AttributeValue>;
  readonly key: string;
}

// Errors that come from the items of a request rather than the table or the connection.
const ITEM_ERRORS = new Set(['ValidationException', 'ItemCollectionSizeLimitExceededException']);

/**
 * Writes each batch to a DynamoDB table with BatchWriteItem (PutRequests, 25 at a time, in order).
 * UnprocessedItems, throttling and network errors are retried with full-jitter backoff on the
 * injected clock, up to `maxAttempts` tries per request; what is still unwritten is returned in
 * `failed`. A request DynamoDB refuses for its items (ValidationException: an item too large, a
 * wrong key type) is split until the bad items are found; they are failed and the rest written.
 * A missing table or bad credentials throw a non-retryable {@link EmitterError}.
 *
 * Items are plain objects marshalled with `@aws-sdk/util-dynamodb` (or attribute maps, with
 * `itemsAreMarshalled`). Puts are idempotent: re-emitting a batch writes the same items again.
 * Items with the same key never share a request, and once an item fails, later items with its
 * key in the batch fail too, so a retry cannot overwrite a newer item with an older one.
 */
export class DynamoDBEmitter implements Emitter<DynamoDBItem> {
  readonly #config: ResolvedDynamoDBEmitterOptions;
  #keyAttributes: Promise<readonly string[]> | undefined;
  #resolvedKeys: readonly string[] = [];

  /** @throws TypeError for bad options. */
  constructor(options: DynamoDBEmitterOptions) {
    this.#config = resolveDynamoDBEmitterOptions(options);
    if (this.#config.keyAttributes !== undefined) this.#keyAttributes = Promise.resolve(this.#config.keyAttributes);
  }

  async emit(batch: EmitBatch<DynamoDBItem>): Promise<EmitResult<DynamoDBItem>> {
    const keyAttributes = await this.keyAttributes(batch);
    const failed: DynamoDBItem[] = [];
    const entries: Entry[] = [];
    for (const item of batch.items) {
      const entry = this.toEntry(item, keyAttributes);
      if (entry === undefined) failed.push(item);
      else entries.push(entry);
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
          failed.push(entry.item);
          continue;
        }
        if (keys.has(entry.key)) break;
        keys.add(entry.key);
        chunk.push(entry);
      }
      for (const entry of await this.writeChunk(chunk, batch)) {
        failedKeys.add(entry.key);
        failed.push(entry.item);
      }
    }
    return { failed };
  }

  /** Writes one request's entries, retrying what is unprocessed; returns the entries left unwritten. */
  private async writeChunk(chunk: readonly Entry[], batch: EmitBatch<DynamoDBItem>): Promise<Entry[]> {
    const { client, tableName, maxAttempts, baseDelayMs, maxDelayMs, clock, random, logger } = this.#config;
    let pending = [...chunk];
    for (let attempt = 1; pending.length > 0; attempt += 1) {
      if (attempt > maxAttempts) {
        logger.warn({ tableName, items: pending.length, attempts: maxAttempts }, 'DynamoDB items still unwritten after the last attempt');
        return pending;
      }
      if (attempt > 1) await sleep(clock, backoffDelayMs(attempt - 1, baseDelayMs, maxDelayMs, random));
      try {
        const requests: WriteRequest[] = pending.map((entry) => ({ PutRequest: { Item: entry.attributes } }));
        const output = await client.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: requests } }));
        const unprocessed = new Set((output.UnprocessedItems?.[tableName] ?? []).map((request) => this.keyOf(request.PutRequest?.Item ?? {})));
        pending = pending.filter((entry) => unprocessed.has(entry.key));
        if (pending.length > 0) logger.debug({ tableName, items: pending.length, attempt }, 'DynamoDB returned unprocessed items');
      } catch (error) {
        const name = (error as { name?: string }).name ?? '';
        if (ITEM_ERRORS.has(name)) return this.isolate(pending, batch, error);
        if (!isRetryableAwsError(error)) {
          throw new EmitterError('DynamoDBWriteFailed', `could not write to DynamoDB table ${tableName}: ${String(error)}`, {
            cause: error,
            context: { streamName: batch.streamName, shardId: batch.shardId, batchId: batch.batchId, tableName },
          });
        }
        logger.debug({ tableName, attempt, error: String(error) }, 'BatchWriteItem failed; will retry');
      }
    }
    return [];
  }

  /** Splits a request DynamoDB refused for its items until each bad item is alone. */
  private async isolate(entries: readonly Entry[], batch: EmitBatch<DynamoDBItem>, error: unknown): Promise<Entry[]> {
    if (entries.length === 1) {
      this.#config.logger.warn({ tableName: this.#config.tableName, error: String(error) }, 'DynamoDB refused an item');
      return [...entries];
    }
    const middle = Math.ceil(entries.length / 2);
    return [...(await this.writeChunk(entries.slice(0, middle), batch)), ...(await this.writeChunk(entries.slice(middle), batch))];
  }

  /** The item as an attribute map with its key, or undefined (logged) if it cannot be written. */
  private toEntry(item: DynamoDBItem, keyAttributes: readonly string[]): Entry | undefined {
    const { itemsAreMarshalled, marshallOptions, logger } = this.#config;
    try {
      if (item === null || typeof item !== 'object' || Array.isArray(item)) throw new TypeError(`expected an object, got ${typeof item}`);
      const attributes = itemsAreMarshalled ? (item as Record<string, AttributeValue>) : marshall(item, marshallOptions);
      const missing = keyAttributes.filter((name) => attributes[name] === undefined);
      if (missing.length > 0) throw new TypeError(`the item lacks its key attribute ${missing.join(', ')}`);
      return { item, attributes, key: this.keyOf(attributes, keyAttributes) };
    } catch (error) {
      logger.warn({ tableName: this.#config.tableName, error: String(error) }, 'item cannot be written to DynamoDB');
      return undefined;
    }
  }

  private keyOf(attributes: Record<string, AttributeValue>, keyAttributes: readonly string[] = this.#resolvedKeys): string {
    return JSON.stringify(keyAttributes.map((name) => attributes[name]));
  }

  /** The key attribute names: configured, or read once with DescribeTable. */
  private async keyAttributes(batch: EmitBatch<DynamoDBItem>): Promise<readonly string[]> {
    const { client, tableName } = this.#config;
    this.#keyAttributes ??= client.send(new DescribeTableCommand({ TableName: tableName })).then((output) => {
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
      throw new EmitterError('DynamoDBWriteFailed', `could not describe DynamoDB table ${tableName}: ${String(error)}`, {
        retryable: isRetryableAwsError(error),
        cause: error,
        context: { streamName: batch.streamName, shardId: batch.shardId, batchId: batch.batchId, tableName },
      });
    }
  }
}
