import { z } from 'zod'
import { connectionSchemas, tenantTarget } from './connections.ts'

const tokenTarget = tenantTarget.extend({ tokenId: z.string().min(1).max(200) }).strict()
const label = z.string().min(1).max(200)

/**
 * The only outputs that carry a token's plaintext: create and rotate (shown once) and reveal (a
 * person pressed Reveal). Lists never do: their schemas are strict and have no field for it.
 */
const createdToken = z.strictObject({
  id: z.string(),
  label: z.string(),
  createdAt: z.string(),
  hashPrefix: z.string(),
  secret: z.string(),
})

export const tokensChannels = {
  'tokens.list': {
    input: tenantTarget,
    output: z.strictObject({
      tenantId: z.string(),
      scimBaseUrl: z.string(),
      tokens: z.array(connectionSchemas.tokenWithIdpUse),
      /** The IdP requests each token's `lastIdpRequestAt` was looked for in. */
      idpWindow: connectionSchemas.idpWindow,
      /** Revoked tokens' trace, newest revocation first: when, and the token that replaced each. */
      revoked: z.array(
        z.strictObject({
          id: z.string(),
          label: z.string(),
          createdAt: z.string(),
          lastUsedAt: z.string().nullable(),
          hashPrefix: z.string(),
          revokedAt: z.string(),
          replacedBy: z.strictObject({ id: z.string(), label: z.string() }).nullable(),
        }),
      ),
      /** Keychain entries whose token the backend no longer knows (revoked elsewhere). */
      orphanedKeychainEntries: z.number(),
    }),
  },
  'tokens.create': {
    input: tenantTarget.extend({ label }).strict(),
    output: createdToken,
  },
  'tokens.rotate': {
    input: tokenTarget.extend({ label: label.optional() }).strict(),
    output: createdToken.extend({ replaces: z.string() }).strict(),
  },
  'tokens.revoke': {
    input: tokenTarget,
    output: z.strictObject({ revokedOnBackend: z.boolean(), removedFromKeychain: z.boolean() }),
  },
  'tokens.reveal': {
    input: tokenTarget,
    output: z.strictObject({ secret: z.string() }),
  },
  // Scheduled by the renderer 60 s after copying a token: clears the clipboard only if it still
  // holds that token, so whatever the person copied since is left alone.
  'clipboard.clearIfEquals': {
    input: z.object({ text: z.string().min(1).max(4096) }).strict(),
    output: z.strictObject({ cleared: z.boolean() }),
  },
} as const
