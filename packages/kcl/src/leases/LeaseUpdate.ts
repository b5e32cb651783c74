import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { LEASE_ATTRIBUTES, numberValue, stringValue } from './LeaseSerializer';

/** The expression parameters of one conditional `UpdateItem`. */
export interface LeaseUpdateExpression {
  readonly UpdateExpression: string;
  readonly ConditionExpression: string;
  readonly ExpressionAttributeNames: Record<string, string>;
  readonly ExpressionAttributeValues?: Record<string, AttributeValue>;
}

/**
 * Builds the `SET` / `REMOVE` / `ADD` clauses and the condition of one lease update, naming every
 * attribute through a placeholder (some lease attribute names are DynamoDB reserved words, and
 * placeholders keep values out of the expression text). Only the attributes named here are
 * touched: the rest of the item, including attributes this worker does not know, stays as it is.
 */
export class LeaseUpdate {
  readonly #names: Record<string, string> = {};
  readonly #values: Record<string, AttributeValue> = {};
  readonly #set: string[] = [];
  readonly #remove: string[] = [];
  readonly #add: string[] = [];
  readonly #conditions: string[] = [];

  /** Writes `value` to `attribute`. */
  set(attribute: string, value: AttributeValue): this {
    this.#set.push(`${this.#name(attribute)} = ${this.#value(value)}`);
    return this;
  }

  /** Deletes `attribute` (nothing happens if the item has none). */
  remove(attribute: string): this {
    this.#remove.push(this.#name(attribute));
    return this;
  }

  /** Adds `amount` to a number attribute, which starts at 0 if absent. */
  add(attribute: string, amount: number): this {
    this.#add.push(`${this.#name(attribute)} ${this.#value(numberValue(amount))}`);
    return this;
  }

  /** Condition: the stored `leaseCounter` is `counter`; also false when the item does not exist. */
  expectCounter(counter: number): this {
    this.#conditions.push(`${this.#name(LEASE_ATTRIBUTES.leaseCounter)} = ${this.#value(numberValue(counter))}`);
    return this;
  }

  /** Condition: the stored `leaseOwner` is `owner`, or absent when `owner` is undefined. */
  expectOwner(owner: string | undefined): this {
    const name = this.#name(LEASE_ATTRIBUTES.leaseOwner);
    this.#conditions.push(owner === undefined ? `attribute_not_exists(${name})` : `${name} = ${this.#value(stringValue(owner))}`);
    return this;
  }

  /**
   * Condition: the stored lease's actual owner (see `actualOwnerOf`) is `owner`: its
   * `checkpointOwner` during a graceful handoff, else its `leaseOwner`. So a worker asked to hand a
   * lease over keeps renewing and checkpointing it until it lets go. `undefined`: nobody owns it.
   */
  expectActualOwner(owner: string | undefined): this {
    const leaseOwner = this.#name(LEASE_ATTRIBUTES.leaseOwner);
    const checkpointOwner = this.#name(LEASE_ATTRIBUTES.checkpointOwner);
    if (owner === undefined) {
      this.#conditions.push(`attribute_not_exists(${leaseOwner}) AND attribute_not_exists(${checkpointOwner})`);
      return this;
    }
    const value = this.#value(stringValue(owner));
    this.#conditions.push(`((${leaseOwner} = ${value} AND attribute_not_exists(${checkpointOwner})) OR ${checkpointOwner} = ${value})`);
    return this;
  }

  /** Condition: the stored `checkpointOwner` is `owner`, or absent when `owner` is undefined (no handoff under way). */
  expectCheckpointOwner(owner: string | undefined): this {
    const name = this.#name(LEASE_ATTRIBUTES.checkpointOwner);
    this.#conditions.push(owner === undefined ? `attribute_not_exists(${name})` : `${name} = ${this.#value(stringValue(owner))}`);
    return this;
  }

  /** Condition: the item exists (for updates with no counter condition, which would otherwise create it). */
  expectExists(): this {
    this.#conditions.push(`attribute_exists(${this.#name(LEASE_ATTRIBUTES.leaseKey)})`);
    return this;
  }

  build(): LeaseUpdateExpression {
    if (this.#conditions.length === 0) throw new Error('LeaseUpdate: every lease update must be conditional');
    const clauses = [
      this.#set.length > 0 ? `SET ${this.#set.join(', ')}` : '',
      this.#remove.length > 0 ? `REMOVE ${this.#remove.join(', ')}` : '',
      this.#add.length > 0 ? `ADD ${this.#add.join(', ')}` : '',
    ].filter((clause) => clause !== '');
    return {
      UpdateExpression: clauses.join(' '),
      ConditionExpression: this.#conditions.join(' AND '),
      ExpressionAttributeNames: { ...this.#names },
      ...(Object.keys(this.#values).length > 0 ? { ExpressionAttributeValues: { ...this.#values } } : {}),
    };
  }

  #name(attribute: string): string {
    const placeholder = `#${attribute.replace(/[^A-Za-z0-9_]/g, '_')}`;
    this.#names[placeholder] = attribute;
    return placeholder;
  }

  #value(value: AttributeValue): string {
    const placeholder = `:v${Object.keys(this.#values).length}`;
    this.#values[placeholder] = value;
    return placeholder;
  }
}
