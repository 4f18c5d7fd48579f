import { z } from 'zod'
import {
  harnessExportInputSchema,
  harnessExportOutputSchema,
  harnessProgressMessageSchema,
  harnessReportSchema,
  harnessStartInputSchema,
} from '../harness.ts'
import { tenantTarget } from './connections.ts'

/**
 * Where the harness's bearer token comes from. A keychain token is named by id and read in main,
 * so its secret never crosses to the renderer; a pasted one crosses once, for this run only.
 */
export const harnessTokenSourceSchema = z.discriminatedUnion('source', [
  tenantTarget.extend({ source: z.literal('keychain'), tokenId: z.string().min(1).max(200) }),
  z.object({ source: z.literal('pasted'), value: z.string().min(1).max(4096) }).strict(),
])

const runTarget = z.object({ runId: z.string().min(1).max(100) }).strict()

/** The Conformance screen's channels; runs live in main (src-main/harness/harness-service.ts). */
export const harnessChannels = {
  'harness.start': {
    input: harnessStartInputSchema.extend({ token: harnessTokenSourceSchema }).strict(),
    output: z.strictObject({ runId: z.string() }),
  },
  /** Stops a run; the harness then deletes what it created and lists what it could not. */
  'harness.cancel': {
    input: runTarget,
    output: z.strictObject({ cancelled: z.boolean() }),
  },
  /** The finished run's report (already redacted); null while it is still running. */
  'harness.report': {
    input: runTarget,
    output: z.strictObject({ report: harnessReportSchema.nullable() }),
  },
  'harness.export': {
    input: harnessExportInputSchema.strict(),
    output: harnessExportOutputSchema,
  },
} as const

export const harnessEvents = {
  'harness.progress': harnessProgressMessageSchema,
} as const
