import { fileURLToPath } from 'node:url';

/** A self-signed certificate for localhost / 127.0.0.1 (valid until 2126), committed as a fixture. */
export const TLS_CERT_FILE = fileURLToPath(new URL('../fixtures/tls/cert.pem', import.meta.url));
/** Its private key (EC P-256). */
export const TLS_KEY_FILE = fileURLToPath(new URL('../fixtures/tls/key.pem', import.meta.url));
