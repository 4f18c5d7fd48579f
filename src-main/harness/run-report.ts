import type { AppError } from '../../src-shared/errors.ts'
import { HARNESS_REPORT_SCHEMA_VERSION } from '../../src-shared/harness-constants.ts'
import type {
  CheckResult,
  CheckStatus,
  HarnessReport,
  HarnessSummary,
  Severity,
} from '../../src-shared/harness.ts'
import { redact } from '../../src-shared/redact.ts'
import type { CheckDef, CheckOutcome } from './check.ts'
import type { HttpCapture } from './http-capture.ts'

export const HARNESS_TOOL = { name: 'scim-console', version: '0.1.0' }

export function emptySummary(): HarnessSummary {
  return { total: 0, pass: 0, fail: 0, warn: 0, info: 0, skip: 0, error: 0 }
}

/** A broken behaviour weighs what the profile says it weighs. */
export function applySeverity(status: CheckOutcome['status'], severity: Severity): CheckStatus {
  if (status === 'pass' || status === 'skip') return status
  if (severity === 'info') return 'info'
  if (severity === 'warn') return 'warn'
  return status === 'warn' ? 'warn' : status
}

/** One check's outcome as the report shows it: severity applied, secrets redacted. */
export function toCheckResult(
  def: CheckDef,
  severity: Severity,
  outcome: CheckOutcome,
  durationMs: number,
  exchangeIds: string[],
  notes: string[],
): CheckResult {
  return redact({
    id: def.id,
    title: def.title,
    area: def.area,
    spec: def.spec,
    protects: def.protects,
    severity,
    status: applySeverity(outcome.status, severity),
    message: outcome.message,
    ...(outcome.expected !== undefined ? { expected: outcome.expected } : {}),
    ...(outcome.actual !== undefined ? { actual: outcome.actual } : {}),
    ...(outcome.idpImpact !== undefined ? { idpImpact: outcome.idpImpact } : {}),
    ...(outcome.fix !== undefined ? { fix: outcome.fix } : {}),
    notes,
    exchangeIds,
    durationMs: Math.round(durationMs),
  })
}

export interface ReportFrame {
  runId: string
  runPrefix: string
  baseUrl: string
  profile: HarnessReport['profile']
  readOnly: boolean
  startedAt: Date
  http: HttpCapture
}

/** The final report: counts, the redacted exchanges and what cleanup did. */
export function buildReport(
  frame: ReportFrame,
  outcome: HarnessReport['outcome'],
  checks: CheckResult[],
  cleanup: HarnessReport['cleanup'],
  extra: { error?: AppError; stoppedEarly?: HarnessReport['stoppedEarly'] } = {},
): HarnessReport {
  const summary = emptySummary()
  for (const c of checks) {
    summary.total++
    summary[c.status]++
  }
  const finishedAt = new Date()
  const { error, stoppedEarly } = extra
  const head: Omit<HarnessReport, 'exchanges' | 'cleanup'> = redact({
    schemaVersion: HARNESS_REPORT_SCHEMA_VERSION,
    tool: HARNESS_TOOL,
    runId: frame.runId,
    runPrefix: frame.runPrefix,
    baseUrl: frame.baseUrl,
    profile: frame.profile,
    readOnly: frame.readOnly,
    startedAt: frame.startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationMs: finishedAt.getTime() - frame.startedAt.getTime(),
    outcome,
    ...(error
      ? {
          error: {
            code: error.code,
            message: error.message,
            ...(error.hint ? { hint: error.hint } : {}),
          },
        }
      : {}),
    ...(stoppedEarly ? { stoppedEarly } : {}),
    summary,
    checks,
  })
  // Each exchange was redacted as it was captured (http-capture.ts): walking ~470 of them again
  // cost a run ~25 ms for nothing.
  return { ...head, exchanges: frame.http.exchanges, cleanup: redact(cleanup) }
}
