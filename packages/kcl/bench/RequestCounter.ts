import type { DynamoDBClient, UpdateItemCommandInput } from '@aws-sdk/client-dynamodb';
import type { KinesisClient } from '@aws-sdk/client-kinesis';

/**
 * What a lease table request was for. UpdateItem is split by what it writes, as the lease store
 * builds it: a renewal bumps only `leaseCounter`; a take sets `leaseOwner`; a release removes it;
 * a checkpoint writes `checkpoint`. Other requests go by operation name (`Scan`, `GetItem`, …).
 */
export type LeaseRequestKind = 'renewal' | 'take' | 'release' | 'checkpoint' | 'prepareCheckpoint' | 'childShardIds' | string;

/**
 * Counts, at the SDK client, every request a worker makes: to its lease table by
 * {@link LeaseRequestKind}, to Kinesis by operation. Requests are counted when sent, whatever
 * their outcome.
 */
export class RequestCounter {
  readonly #counts = new Map<LeaseRequestKind, number>();

  /** Adds a counting middleware to `client`; returns the counter. */
  static attach(client: DynamoDBClient | KinesisClient): RequestCounter {
    const counter = new RequestCounter();
    (client as DynamoDBClient).middlewareStack.add(
      (next, context) => async (args) => {
        const kind = context.commandName === 'UpdateItemCommand' ? classifyUpdate(args.input as UpdateItemCommandInput) : (context.commandName ?? 'unknown').replace(/Command$/, '');
        counter.#counts.set(kind, (counter.#counts.get(kind) ?? 0) + 1);
        return next(args);
      },
      { step: 'initialize', name: 'benchRequestCounter' },
    );
    return counter;
  }

  /** The counts so far. */
  snapshot(): ReadonlyMap<LeaseRequestKind, number> {
    return new Map(this.#counts);
  }

  /** The counts since `earlier` (a snapshot of this counter). */
  since(earlier: ReadonlyMap<LeaseRequestKind, number>): Map<LeaseRequestKind, number> {
    const delta = new Map<LeaseRequestKind, number>();
    for (const [kind, count] of this.#counts) {
      const added = count - (earlier.get(kind) ?? 0);
      if (added > 0) delta.set(kind, added);
    }
    return delta;
  }
}

/** Which lease write an UpdateItem is, from the attributes its update expression names. */
export function classifyUpdate(input: UpdateItemCommandInput): LeaseRequestKind {
  const names = input.ExpressionAttributeNames ?? {};
  const clauses = new Map<string, Set<string>>();
  for (const [, keyword, body] of (input.UpdateExpression ?? '').matchAll(/\b(SET|REMOVE|ADD)\b(.*?)(?=\b(?:SET|REMOVE|ADD)\b|$)/gs)) {
    clauses.set(keyword!, new Set([...body!.matchAll(/#\w+/g)].map(([placeholder]) => names[placeholder] ?? placeholder)));
  }
  const writes = (attribute: string) => [...clauses.values()].some((attributes) => attributes.has(attribute));
  if (writes('checkpoint')) return 'checkpoint';
  if (writes('pendingCheckpoint')) return 'prepareCheckpoint';
  if (writes('childShardIds')) return 'childShardIds';
  if (clauses.get('SET')?.has('leaseOwner')) return 'take';
  if (clauses.get('REMOVE')?.has('leaseOwner')) return 'release';
  return 'renewal';
}
