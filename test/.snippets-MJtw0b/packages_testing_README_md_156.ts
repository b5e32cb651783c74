import { KinesisClient } from '@aws-sdk/client-kinesis';
import { FaultProxy, clientConfigFor, getTestStack } from '@kinesis-toolkit/testing';

const stack = getTestStack();
const url = new URL(stack.kinesis.endpoint);
const proxy = await FaultProxy.start({ target: { host: url.hostname, port: Number(url.port) } });
const kinesis = new KinesisClient(clientConfigFor(proxy.endpoint, { maxAttempts: 1, requestTimeoutMs: 500 }));

proxy.setLatency({ upstreamMs: 100, downstreamMs: 50 });  // every call ≥ 150 ms slower
proxy.setBlackhole(true);                                 // calls fail with TimeoutError after 500 ms
proxy.setResetRate(1, 'upstream');                        // calls fail with ECONNRESET
proxy.reset();
export {};
