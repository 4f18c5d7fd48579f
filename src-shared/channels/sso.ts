import { z } from 'zod'
import { rendererMetadataSourceSchema } from './metadata.ts'
import { connectionSchemas, tenantTarget } from './connections.ts'

const certificate = connectionSchemas.certificate
const change = z.strictObject({
  from: z.string().nullable(),
  to: z.string().nullable(),
  changed: z.boolean(),
})

/** What pushing would change (src-main/backend/sso-diff.ts), shown before the push. */
export const ssoDiffSchema = z.strictObject({
  firstConfiguration: z.boolean(),
  entityId: change,
  ssoUrl: change,
  certificates: z.strictObject({
    added: z.array(certificate),
    removed: z.array(certificate),
    kept: z.array(certificate),
  }),
  signing: z.strictObject({ now: certificate.nullable(), next: certificate.nullable() }),
  warnings: z.array(
    z.strictObject({
      code: z.string(),
      severity: z.enum(['error', 'warning']),
      message: z.string(),
      hint: z.string(),
    }),
  ),
  requiresConfirmation: z.boolean(),
})

const pushInput = tenantTarget
  .extend({
    source: rendererMetadataSourceSchema,
    entityId: z.string().min(1).optional(),
  })
  .strict()

export const ssoChannels = {
  'sso.diff': {
    input: pushInput,
    output: z.strictObject({ metadataOk: z.boolean(), diff: ssoDiffSchema }),
  },
  'sso.push': {
    // `confirmed` must be true when the diff asks for confirmation; main recomputes the diff
    // against the configuration at push time rather than trusting what the renderer showed.
    input: pushInput.extend({ confirmed: z.boolean().default(false) }).strict(),
    output: z.strictObject({
      entityId: z.string().nullable(),
      ssoUrl: z.string().nullable(),
      importedAt: z.string(),
      certificates: z.number(),
    }),
  },
} as const
