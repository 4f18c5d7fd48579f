import { createHash, randomBytes } from 'node:crypto'

/**
 * Recognisable prefix: secret scanners (and our own redactor in src-shared/redact.ts) match
 * `scimc_...`, so a token pasted into a ticket or a log is caught.
 */
export const TOKEN_PREFIX = 'scimc_'

/** 32 bytes from the CSPRNG, base64url (43 characters, no padding), behind the prefix. */
export function generateToken(): string {
  return TOKEN_PREFIX + randomBytes(32).toString('base64url')
}

/** Lower-case hex SHA-256 of the exact UTF-8 token string; the only form the backend ever sees. */
export function sha256Hex(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex')
}
