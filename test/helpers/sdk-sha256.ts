import { createHash, createHmac } from 'node:crypto';

/**
 * The `sha256` constructor `@smithy/signature-v4` takes (a hash, or an HMAC when given a secret), on
 * `node:crypto`: tests sign with the SDK's own signer as the reference implementation.
 */
export class NodeSha256 {
  readonly #hash: ReturnType<typeof createHash> | ReturnType<typeof createHmac>;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.#hash =
      secret === undefined
        ? createHash('sha256')
        : createHmac('sha256', typeof secret === 'string' ? secret : Buffer.from(secret as Uint8Array));
  }
  update(data: Uint8Array): void {
    this.#hash.update(data);
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.#hash.digest());
  }
  reset(): void {}
}
