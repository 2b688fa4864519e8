/**
 * What an invocation carries to its function: JSON bytes (the Invoke API, authorizers), or a
 * gateway request whose proxy event is built where it is needed. A Node execution environment
 * builds the event object itself from the request's compact text (see proxy-input-codec.ts); a
 * custom runtime, the payload limit and anything else that wants bytes get the event's JSON, made
 * once on first use.
 */
import { buildEventV1 } from './events/event-v1.js';
import { buildEventV2 } from './events/event-v2.js';
import { encodeEvent } from './events/encode-event.js';
import { encodeProxyInput } from './events/proxy-input-codec.js';
import type { ProxyRequestInput } from './events/types.js';

/** A gateway request as a Node environment gets it (see proxy-input-codec.ts). */
export interface CompactRequest {
  version: '1.0' | '2.0';
  text: string;
  body: Buffer | undefined;
}

/** A gateway request to a function, as the AWS_PROXY integration hands it to the runtime. */
export class ProxyEventPayload {
  readonly version: '1.0' | '2.0';
  readonly input: ProxyRequestInput;
  #json: Buffer | undefined;

  constructor(version: '1.0' | '2.0', input: ProxyRequestInput) {
    this.version = version;
    this.input = input;
  }

  /** The event's JSON bytes (as the function would receive them on AWS). */
  json(): Buffer {
    this.#json ??= encodeEvent(this.version === '2.0' ? buildEventV2(this.input) : buildEventV1(this.input));
    return this.#json;
  }

  /**
   * The request as compact text plus the body bytes and the payload version to build, or undefined
   * when it cannot go so (the environment then gets {@link json}).
   */
  compact(): CompactRequest | undefined {
    const text = encodeProxyInput(this.input);
    return text === undefined ? undefined : { version: this.version, text, body: this.input.body };
  }
}

/** An invocation's payload: the event's JSON bytes, or a gateway request (see the module comment). */
export type InvokePayload = Buffer | ProxyEventPayload;

/** The payload's JSON bytes. */
export function payloadBytes(payload: InvokePayload): Buffer {
  return Buffer.isBuffer(payload) ? payload : payload.json();
}

/**
 * Room in a gateway request's event for everything but the body: the head (10 KB at most, each byte
 * at most six in JSON), path parameters, stage variables and the fixed members.
 */
const ROOM_BESIDE_BODY = 512 * 1024;

/** Most bytes a body byte becomes in the event: six (a control character escaped in JSON text). */
const BODY_EXPANSION = 6;

/**
 * True when the payload's JSON is longer than `limit` bytes. A gateway request whose event is
 * certainly shorter is not written out: its body at most six times itself plus the room beside
 * it. Others, and requests carrying an authorizer's output (not bounded by the head), are measured.
 */
export function payloadExceeds(payload: InvokePayload, limit: number): boolean {
  if (Buffer.isBuffer(payload)) return payload.length > limit;
  const { body, authorizer } = payload.input;
  const bound = (body?.length ?? 0) * BODY_EXPANSION + ROOM_BESIDE_BODY;
  if (authorizer === undefined && bound <= limit) return false;
  return payload.json().length > limit;
}

/** True for an empty payload (Lambda then passes `{}`). */
export function isEmptyPayload(payload: InvokePayload): boolean {
  return Buffer.isBuffer(payload) && payload.length === 0;
}
