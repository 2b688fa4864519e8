/** Reference to a stored code package, in the form Lambda reports it. */
export interface CodeRef {
  /** base64 SHA-256 of the zip (Lambda `CodeSha256`). */
  sha256: string;
  /** Bytes of the zip (Lambda `CodeSize`). */
  size: number;
}

/**
 * Content-addressed store of deployment packages (zip bytes). Functions and versions reference a
 * package by `sha256`; identical uploads are stored once. Store a package in the same transaction as
 * the function/version that references it, because `prune` removes every unreferenced package.
 */
export interface CodePort {
  /** Stores the bytes (idempotent) and returns their reference. */
  put(zip: Buffer): Promise<CodeRef>;
  /** The bytes of a package, or undefined. */
  get(sha256: string): Promise<Buffer | undefined>;
  /** Deletes packages no function (`codeSha256`) or version references; returns how many. */
  prune(): Promise<number>;
}
