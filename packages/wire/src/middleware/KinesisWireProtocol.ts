import { EventEmitter } from 'node:events';
import { InvalidArgumentError, type Logger } from '@kinesis-toolkit/core';
import { decodeCbor } from '../cbor/decodeCbor';
import { decodeResponse } from '../kinesis/decodeResponse';
import { encodeRequest } from '../kinesis/encodeRequest';
import { wireOperationOf, type WireOperation } from '../kinesis/requestShapes';
import { resolveWireProtocolOptions, type WireProtocol, type WireProtocolOptions } from '../options/WireProtocolOptions';
import { CBOR_CONTENT_TYPE, collectBody, mediaTypeOf, setHeader, type HttpRequestLike, type HttpResponseLike } from './httpMessages';
import { refusalOf, type Refusal } from './refusal';
import { isAwsHostname } from './awsHostnames';

/** The protocol a client's data-plane calls use now. */
export type ActiveWireProtocol = 'cbor' | 'json';

/** Emitted once per client when an endpoint refused CBOR and the client went over to JSON. */
export interface WireFallbackEvent extends Refusal {
  readonly operation: WireOperation;
}

/** The events of a {@link KinesisWireProtocol}. */
export interface KinesisWireProtocolEvents {
  fallback: [WireFallbackEvent];
}

/** The part of an AWS SDK v3 client this package needs: its middleware stack. */
export interface KinesisClientLike {
  readonly middlewareStack: {
    add(middleware: unknown, options: Record<string, unknown>): void;
    remove(toRemove: string): boolean;
  };
}

// What one `send` of a CBOR call carries from the initialize step down to build and deserialize.
interface CborCall {
  readonly operation: WireOperation;
  readonly body: Uint8Array;
  output: Record<string, unknown> | undefined;
  refusal: Refusal | undefined;
}
const CALL = Symbol('@kinesis-toolkit/wire call');
type Context = { commandName?: string; [CALL]?: CborCall };
type Handler = (args: { input: object; request?: HttpRequestLike }) => Promise<{ output: Record<string, unknown>; response: HttpResponseLike }>;

const NAMES = { initialize: 'kinesisWireInitialize', build: 'kinesisWireBuild', deserialize: 'kinesisWireDeserialize' } as const;
const EMPTY_JSON = new Uint8Array([0x7b, 0x7d]);
const installed = new WeakMap<object, KinesisWireProtocol>();

/**
 * Makes a Kinesis client of your own (`new KinesisClient(...)`, AWS SDK v3) send GetRecords,
 * GetShardIterator, PutRecords and PutRecord in CBOR (`application/x-amz-cbor-1.1`), as the AWS
 * SDK for Java does, through three middlewares on the client's stack — no fork or patch of the SDK:
 *
 * - **initialize** (innermost): encodes the input to CBOR and lets the SDK's JSON serializer see
 *   only a stub without the blobs (no base64, no JSON text of megabytes);
 * - **build** (before signing): puts the CBOR body and its content type on the request, so SigV4
 *   signs the CBOR body, untouched;
 * - **deserialize** (next to the network): decodes a CBOR answer into the SDK's output shape and
 *   hands the SDK's deserializer `{}`; an error answer is re-encoded as the JSON error body, so the
 *   SDK raises its own exception class (`ProvisionedThroughputExceededException`, with `$metadata`
 *   and `$fault`) exactly as for JSON, and `classifyAwsError` reads it alike.
 *
 * Every other command is untouched. An input this package will not encode exactly (a member a
 * newer SDK added, say) goes as JSON for that call. When an endpoint refuses CBOR (HTTP 404 or
 * 415, `UnknownOperationException`, `SerializationException`: it could not read the request, so
 * nothing happened), the call is sent again as JSON, once, and the client stays on JSON: a
 * `fallback` event and a warning say so.
 *
 * ```ts
 * const kinesis = new KinesisClient({ region: 'eu-west-1' });
 * const wire = useWireProtocol(kinesis, { wireProtocol: 'cbor', logger });
 * wire.on('fallback', (event) => console.log(`back to JSON: ${event.reason}`));
 * ```
 */
export class KinesisWireProtocol extends EventEmitter<KinesisWireProtocolEvents> {
  readonly #client: KinesisClientLike;
  readonly #logger: Logger;
  readonly #requested: WireProtocol;
  #active: ActiveWireProtocol | undefined;

  private constructor(client: KinesisClientLike, requested: WireProtocol, logger: Logger) {
    super();
    this.#client = client;
    this.#requested = requested;
    this.#logger = logger;
    this.#active = requested === 'auto' ? undefined : requested;
  }

  /** @internal — use {@link useWireProtocol}. */
  static attach(client: KinesisClientLike, options: WireProtocolOptions = {}): KinesisWireProtocol {
    const { wireProtocol, logger } = resolveWireProtocolOptions(options);
    const existing = installed.get(client);
    if (existing !== undefined) return existing;
    const wire = new KinesisWireProtocol(client, wireProtocol, logger);
    const isSdkClient = typeof client?.middlewareStack?.add === 'function';
    // Not an SDK client (a test double, a wrapper): 'auto' leaves it as it is, 'cbor' cannot be kept.
    if (!isSdkClient && wireProtocol === 'cbor') throw new InvalidArgumentError('kinesisClient', 'an AWS SDK v3 KinesisClient (with a middlewareStack) for wireProtocol "cbor"', client);
    if (!isSdkClient) wire.#active = 'json';
    // The first choice for a client holds, 'json' included: a later 'auto' (a producer's default) keeps it.
    if (typeof client === 'object' && client !== null) installed.set(client, wire);
    if (wire.#active !== 'json') wire.#install();
    return wire;
  }

  /** What was asked for: `'auto'`, `'cbor'` or `'json'`. */
  get requested(): WireProtocol {
    return this.#requested;
  }

  /** The protocol the data-plane calls use now; undefined while `'auto'` has not seen a request yet. */
  get protocol(): ActiveWireProtocol | undefined {
    return this.#active;
  }

  /** Removes the middlewares (every call goes as JSON again) and forgets this client's choice. */
  detach(): void {
    if (installed.get(this.#client) !== this) return;
    if (typeof this.#client.middlewareStack?.remove === 'function') for (const name of Object.values(NAMES)) this.#client.middlewareStack.remove(name);
    installed.delete(this.#client);
    this.#active = 'json';
  }

  #install(): void {
    const stack = this.#client.middlewareStack;
    stack.add((next: Handler, context: Context) => (args: Parameters<Handler>[0]) => this.#initialize(next, context, args), {
      step: 'initialize',
      priority: 'low',
      name: NAMES.initialize,
      tags: ['KINESIS_WIRE_PROTOCOL'],
    });
    stack.add((next: Handler, context: Context) => (args: Parameters<Handler>[0]) => this.#build(next, context, args), {
      step: 'build',
      priority: 'high',
      name: NAMES.build,
      tags: ['KINESIS_WIRE_PROTOCOL'],
    });
    stack.add((next: Handler, context: Context) => (args: Parameters<Handler>[0]) => this.#deserialize(next, context, args), {
      step: 'deserialize',
      priority: 'low',
      name: NAMES.deserialize,
      tags: ['KINESIS_WIRE_PROTOCOL'],
    });
  }

  async #initialize(next: Handler, context: Context, args: Parameters<Handler>[0]): ReturnType<Handler> {
    const operation = wireOperationOf(context.commandName);
    if (operation === undefined || this.#active !== 'cbor') return next(args);
    const body = encodeRequest(operation, args.input);
    if (body === undefined) return next(args);
    const call: CborCall = { operation, body, output: undefined, refusal: undefined };
    context[CALL] = call;
    try {
      const result = await next({ ...args, input: stubOf(operation, args.input) });
      if (call.output !== undefined) Object.assign(result.output, call.output);
      return result;
    } catch (error) {
      if (call.refusal === undefined) throw error;
      this.#fallBack(operation, call.refusal);
      delete context[CALL];
      return next(args);
    } finally {
      delete context[CALL];
    }
  }

  async #build(next: Handler, context: Context, args: Parameters<Handler>[0]): ReturnType<Handler> {
    const request = args.request;
    if (request === undefined) return next(args);
    if (this.#active === undefined && typeof request.hostname === 'string') {
      this.#active = isAwsHostname(request.hostname) ? 'cbor' : 'json';
      this.#logger.debug({ hostname: request.hostname, wireProtocol: this.#active }, `Kinesis data-plane calls go as ${this.#active.toUpperCase()} from now on`);
    }
    const call = context[CALL];
    if (call !== undefined) {
      request.body = call.body;
      setHeader(request.headers, 'content-type', CBOR_CONTENT_TYPE);
      setHeader(request.headers, 'content-length', String(call.body.byteLength));
    }
    return next(args);
  }

  async #deserialize(next: Handler, context: Context, args: Parameters<Handler>[0]): ReturnType<Handler> {
    const call = context[CALL];
    if (call === undefined) return next(args);
    call.output = undefined;
    call.refusal = undefined;
    const result = await next(args);
    const response = result.response;
    const isCbor = mediaTypeOf(response) === CBOR_CONTENT_TYPE;
    const bytes = await collectBody(response.body);
    if (response.statusCode >= 200 && response.statusCode < 300) {
      if (isCbor) {
        call.output = decodeResponse(call.operation, decodeCbor(bytes));
        response.body = EMPTY_JSON;
      } else {
        // An endpoint that read the CBOR request but answered JSON: the SDK reads it as usual.
        response.body = bytes;
      }
      return result;
    }
    const errorBody = isCbor ? jsonErrorBodyOf(bytes) : bytes;
    call.refusal = refusalOf(response.statusCode, isCbor, errorBody, response.headers);
    response.body = errorBody;
    return result;
  }

  #fallBack(operation: WireOperation, refusal: Refusal): void {
    if (this.#active === 'json') return;
    this.#active = 'json';
    this.#logger.warn({ operation, ...refusal }, `the Kinesis endpoint refused CBOR (${refusal.reason}); this client sends JSON from now on`);
    this.emit('fallback', { operation, ...refusal });
  }
}

/**
 * Puts the CBOR wire protocol on a Kinesis client of yours (see {@link KinesisWireProtocol}).
 * The protocol belongs to the client: the first call decides — `wireProtocol: 'json'` installs
 * nothing but is remembered — and a later call for the same client returns the first handle.
 */
export function useWireProtocol(client: KinesisClientLike, options?: WireProtocolOptions): KinesisWireProtocol {
  return KinesisWireProtocol.attach(client, options);
}

// What the SDK's JSON serializer is given in place of the input: everything but the blobs, so
// that endpoint resolution (StreamARN…) and logging middlewares still see the call's target.
function stubOf(operation: WireOperation, input: object): object {
  if (operation === 'PutRecords') return { ...input, Records: [] };
  if (operation === 'PutRecord') return { ...input, Data: new Uint8Array(0) };
  return input;
}

// A CBOR error body as the JSON the SDK's error parser reads (`__type`, `message`, …).
function jsonErrorBodyOf(bytes: Buffer): Uint8Array {
  let value: unknown;
  try {
    value = bytes.length === 0 ? {} : decodeCbor(bytes);
  } catch {
    return bytes;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return EMPTY_JSON;
  const json: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(value)) {
    if (typeof member === 'string' || typeof member === 'number' || typeof member === 'boolean') json[key] = member;
    else if (typeof member === 'bigint') json[key] = Number(member);
  }
  return Buffer.from(JSON.stringify(json), 'utf8');
}
