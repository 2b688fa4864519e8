import { randomBytes } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** A random lowercase alphanumeric identifier of `length` characters. */
export function randomId(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  // The slight modulo bias is irrelevant for identifiers (uniqueness is checked by the caller).
  for (const b of bytes) out += ALPHABET[b % 36];
  return out;
}

/** An API id: 10 lowercase alphanumerics, as AWS issues them (`a1b2c3d4e5`). */
export function newApiId(taken: (id: string) => boolean): string {
  for (;;) {
    const id = randomId(10);
    if (!taken(id)) return id;
  }
}

/** A child id (route, integration, authorizer, deployment, mapping): 7 lowercase alphanumerics. */
export function newChildId(taken: (id: string) => boolean = () => false): string {
  for (;;) {
    const id = randomId(7);
    if (!taken(id)) return id;
  }
}
