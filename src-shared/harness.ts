import { z } from 'zod'
import { HARNESS_REPORT_SCHEMA_VERSION, checkAreas, harnessProfiles } from './harness-constants.ts'

/**
 * The conformance harness's data model, shared by the main-process runner, the CLI, the report
 * writers and the renderer's Conformance screen (progress events and the report it displays).
 */

export { HARNESS_REPORT_SCHEMA_VERSION, checkAreas, harnessProfiles } from './harness-constants.ts'

export const harnessProfileSchema = z.enum(harnessProfiles)
export type HarnessProfile = z.infer<typeof harnessProfileSchema>

export const checkAreaSchema = z.enum(checkAreas)
export type CheckArea = z.infer<typeof checkAreaSchema>

/** How much a broken behaviour matters to one IdP: `skip` means the check is not run at all. */
export const severitySchema = z.enum(['fail', 'warn', 'info', 'skip'])
export type Severity = z.infer<typeof severitySchema>

/**
 * A check's final status: a check whose behaviour is broken reports the severity its profile
 * gives it (`fail`, `warn`, `info`); `error` means the server answered 5xx or timed out so the
 * behaviour could not be judged.
 */
export const checkStatusSchema = z.enum(['pass', 'fail', 'warn', 'info', 'skip', 'error'])
export type CheckStatus = z.infer<typeof checkStatusSchema>

export const capturedRequestSchema = z.object({
  method: z.string(),
  url: z.string(),
  headers: z.record(z.string(), z.string()),
  body: z.string().optional(),
})

export const capturedResponseSchema = z.object({
  status: z.number().int(),
  statusText: z.string(),
  headers: z.record(z.string(), z.string()),
  body: z.string(),
})

/** One HTTP exchange, already redacted: this is what the inspector, reports and HAR show. */
export const exchangeSchema = z.object({
  id: z.string(),
  checkId: z.string().optional(),
  startedAt: z.string(),
  durationMs: z.number(),
  attempt: z.number().int(),
  request: capturedRequestSchema,
  response: capturedResponseSchema.optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
})
export type Exchange = z.infer<typeof exchangeSchema>

export const checkResultSchema = z.object({
  id: z.string(),
  title: z.string(),
  area: checkAreaSchema,
  spec: z.string(),
  protects: z.string(),
  severity: severitySchema,
  status: checkStatusSchema,
  message: z.string(),
  expected: z.string().optional(),
  actual: z.string().optional(),
  idpImpact: z.string().optional(),
  fix: z.string().optional(),
  notes: z.array(z.string()),
  exchangeIds: z.array(z.string()),
  durationMs: z.number(),
})
export type CheckResult = z.infer<typeof checkResultSchema>

export const resourceRefSchema = z.object({
  type: z.enum(['Users', 'Groups']),
  id: z.string().optional(),
  name: z.string(),
})
export type ResourceRef = z.infer<typeof resourceRefSchema>

export const cleanupSchema = z.object({
  removed: z.array(resourceRefSchema),
  leftovers: z.array(resourceRefSchema.extend({ reason: z.string() })),
})

export const runOutcomeSchema = z.enum(['passed', 'failed', 'cancelled', 'could_not_run'])
export type RunOutcome = z.infer<typeof runOutcomeSchema>

export const summarySchema = z.object({
  total: z.number().int(),
  pass: z.number().int(),
  fail: z.number().int(),
  warn: z.number().int(),
  info: z.number().int(),
  skip: z.number().int(),
  error: z.number().int(),
})
export type HarnessSummary = z.infer<typeof summarySchema>

export const harnessReportSchema = z.object({
  schemaVersion: z.literal(HARNESS_REPORT_SCHEMA_VERSION),
  tool: z.object({ name: z.string(), version: z.string() }),
  runId: z.string(),
  runPrefix: z.string(),
  baseUrl: z.string(),
  profile: harnessProfileSchema,
  readOnly: z.boolean(),
  startedAt: z.string(),
  finishedAt: z.string(),
  durationMs: z.number(),
  outcome: runOutcomeSchema,
  /** Set when outcome is `could_not_run`: the AppError data explaining why. */
  error: z
    .object({ code: z.string(), message: z.string(), hint: z.string().optional() })
    .optional(),
  /** Set when authentication failed: the run stopped early and `notRun` checks could not run. */
  stoppedEarly: z.object({ reason: z.string(), notRun: z.number().int() }).optional(),
  summary: summarySchema,
  checks: z.array(checkResultSchema),
  exchanges: z.array(exchangeSchema),
  cleanup: cleanupSchema,
})
export type HarnessReport = z.infer<typeof harnessReportSchema>

const exchangeSummarySchema = z.object({
  id: z.string(),
  checkId: z.string().optional(),
  method: z.string(),
  url: z.string(),
  status: z.number().int().optional(),
  durationMs: z.number(),
  error: z.string().optional(),
})

/** The `harness.progress` stream: what the CLI progress line and the UI progress bar consume. */
export const harnessProgressEventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('run.started'),
    runId: z.string(),
    profile: harnessProfileSchema,
    checks: z.array(z.object({ id: z.string(), title: z.string(), area: checkAreaSchema })),
  }),
  z.object({ type: z.literal('check.started'), id: z.string() }),
  z.object({
    type: z.literal('check.finished'),
    result: checkResultSchema,
    done: z.number().int(),
    total: z.number().int(),
  }),
  z.object({ type: z.literal('exchange'), exchange: exchangeSummarySchema }),
  z.object({ type: z.literal('cleanup.started'), resources: z.number().int() }),
  z.object({ type: z.literal('cleanup.finished'), cleanup: cleanupSchema }),
  z.object({ type: z.literal('run.finished'), outcome: runOutcomeSchema, summary: summarySchema }),
])
export type HarnessProgressEvent = z.infer<typeof harnessProgressEventSchema>

/** Input of `harness.start` (the token comes from the keychain or is pasted; never stored). */
export const harnessStartInputSchema = z.object({
  baseUrl: z.string().url(),
  profile: harnessProfileSchema.default('okta'),
  readOnly: z.boolean().default(false),
  concurrency: z.number().int().min(1).max(32).default(4),
  timeoutMs: z.number().int().min(1000).max(120_000).default(30_000),
})
export type HarnessStartInput = z.infer<typeof harnessStartInputSchema>

/** `harness.start` with the token resolved (from the keychain, or pasted by the person). */
export const harnessRunRequestSchema = harnessStartInputSchema.extend({
  token: z.string().min(1),
})
export type HarnessRunRequest = z.input<typeof harnessRunRequestSchema>

/** One message of the `harness.progress` stream: which run, and what happened. */
export const harnessProgressMessageSchema = z.object({
  runId: z.string(),
  event: harnessProgressEventSchema,
})
export type HarnessProgressMessage = z.infer<typeof harnessProgressMessageSchema>

export const harnessReportFormats = ['json', 'junit', 'html', 'har'] as const
export const harnessExportInputSchema = z.object({
  runId: z.string(),
  format: z.enum(harnessReportFormats),
})
export const harnessExportOutputSchema = z.object({
  fileName: z.string(),
  mimeType: z.string(),
  text: z.string(),
})
export type HarnessExport = z.infer<typeof harnessExportOutputSchema>

/** `harness.replayUser`: one user through the IdP's exact sequence (writes real data). */
export const replayUserInputSchema = z.object({
  baseUrl: z.string().url(),
  token: z.string().min(1),
  profile: z.enum(['okta', 'entra']).default('okta'),
  user: z.object({
    userName: z.string().min(1),
    givenName: z.string().optional(),
    familyName: z.string().optional(),
    email: z.string().optional(),
    department: z.string().optional(),
    manager: z.string().optional(),
    groups: z.array(z.string().min(1)).max(50).optional(),
  }),
})

export const replayStepSchema = z.object({
  n: z.number().int(),
  title: z.string(),
  request: z.string(),
  status: z.union([z.number().int(), z.string()]),
  ok: z.boolean(),
  result: z.string(),
  idpImpact: z.string().optional(),
  fix: z.string().optional(),
  exchangeId: z.string(),
})
export type ReplayStep = z.infer<typeof replayStepSchema>

export const replayResultSchema = z.object({
  profile: harnessProfileSchema,
  outcome: z.enum(['completed', 'diverged']),
  userId: z.string().optional(),
  steps: z.array(replayStepSchema),
  exchanges: z.array(exchangeSchema),
})
export type ReplayResult = z.infer<typeof replayResultSchema>
