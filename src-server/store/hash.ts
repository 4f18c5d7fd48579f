import { createHash, randomBytes } from 'node:crypto'

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex')
}

/**
 * A fresh secret. The `scimc_` prefix lets `redact()` recognise it in free text, so a token
 * pasted into a log line or a request body is scrubbed even when nobody registered it.
 */
export function generateSecret(kind: 'admin' | 'scim'): string {
  return `scimc_${kind}_${randomBytes(32).toString('base64url')}`
}
