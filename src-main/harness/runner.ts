import { randomBytes } from 'node:crypto'
import type {
  CheckResult,
  HarnessProfile,
  HarnessProgressEvent,
  HarnessReport,
} from '../../src-shared/harness.ts'
import { registerSecret } from '../../src-shared/redact.ts'
import {
  Blocked,
  Cancelled,
  CheckFailure,
  TransportProblem,
  type CheckDef,
  type CheckOutcome,
  type HarnessOptions,
} from './check.ts'
import { makeCheckContext, type CheckScratch, type RunScope } from './check-context.ts'
import { allChecks } from './checks/index.ts'
import { cleanUp } from './cleanup.ts'
import { HttpCapture } from './http-capture.ts'
import { ResourceLedger } from './ledger.ts'
import { preflight, validateHarnessInput } from './preflight.ts'
import { getProfile, type Profile } from './profiles.ts'
import { buildReport, HARNESS_TOOL, toCheckResult, type ReportFrame } from './run-report.ts'

export { validateHarnessInput } from './preflight.ts'
export { HARNESS_TOOL, applySeverity } from './run-report.ts'

export interface RunHarnessInput {
  baseUrl: string
  token: string
  profile?: HarnessProfile
  readOnly?: boolean
  /** Requests in flight at once (default 4: gentle on a remote tenant). */
  concurrency?: number
  /** Per-request timeout (default 30 s, below the IdPs' 60 s). */
  timeoutMs?: number
  /** Users the import rehearsal creates (default 120, above common page caps of 100). */
  importSize?: number
  signal?: AbortSignal
  onProgress?: (event: HarnessProgressEvent) => void
  /** Run only these check ids (tests, targeted re-runs). */
  only?: string[]
  tuning?: Partial<HarnessOptions> & {
    maxRetryAfterMs?: number
    fallbackRetryMs?: number
  }
}

export const DEFAULT_IMPORT_SIZE = 120

const DEFAULT_OPTIONS: HarnessOptions = {
  latencyWarnMs: 5000,
  latencyFailMs: 60_000,
  pageUsers: 7,
  importSize: DEFAULT_IMPORT_SIZE,
}

function makeHttp(
  input: RunHarnessInput,
  runId: string,
  baseUrl: string,
  token: string,
  profile: Profile,
  emit: (e: HarnessProgressEvent) => void,
): HttpCapture {
  const signal = input.signal
  return new HttpCapture({
    baseUrl,
    token,
    timeoutMs: input.timeoutMs ?? 30_000,
    concurrency: input.concurrency ?? 4,
    ...(signal ? { signal } : {}),
    defaultHeaders: profile.headers,
    identity: { kind: 'harness', id: runId, version: HARNESS_TOOL.version },
    contentType: profile.contentType,
    ...(input.tuning?.maxRetryAfterMs !== undefined
      ? { maxRetryAfterMs: input.tuning.maxRetryAfterMs }
      : {}),
    ...(input.tuning?.fallbackRetryMs !== undefined
      ? { fallbackRetryMs: input.tuning.fallbackRetryMs }
      : {}),
    onExchange: (x) =>
      emit({
        type: 'exchange',
        exchange: {
          id: x.id,
          ...(x.checkId !== undefined ? { checkId: x.checkId } : {}),
          method: x.request.method,
          url: x.request.url,
          ...(x.response ? { status: x.response.status } : {}),
          durationMs: x.durationMs,
          ...(x.error ? { error: x.error.code } : {}),
        },
      }),
  })
}

/** Why a check is not run at all, or undefined when it runs. */
function skipReason(
  def: CheckDef,
  scope: RunScope,
  authStatus: number | undefined,
  signal: AbortSignal | undefined,
): string | undefined {
  if (def.severity[scope.profile.id] === 'skip')
    return `Not part of the ${scope.profile.label} profile.`
  if (scope.readOnly && def.writes) return 'Read-only run: this check creates or changes resources.'
  if (authStatus !== undefined && def.area !== 'auth')
    return `Not run: the token was rejected (HTTP ${authStatus}), so the run stopped after the authentication checks.`
  if (signal?.aborted) return 'Cancelled before it started.'
  return undefined
}

function outcomeOfThrow(err: unknown, signal: AbortSignal | undefined): CheckOutcome {
  if (err instanceof CheckFailure) return { status: 'fail', message: err.message, ...err.info }
  if (err instanceof TransportProblem) return { status: 'error', message: err.message }
  if (err instanceof Blocked) return { status: 'skip', message: err.message }
  if (err instanceof Cancelled || signal?.aborted)
    return { status: 'skip', message: 'Cancelled while running.' }
  return {
    status: 'error',
    message: `The check itself crashed (a scim-console bug): ${(err as Error)?.message ?? String(err)}`,
  }
}

/**
 * Runs the conformance checks of one profile against a SCIM base URL. Safe by construction:
 * every resource it creates carries the run prefix, it only modifies those, and it removes them
 * at the end, also after cancellation. Resolves to the report; rejects only for bad input.
 */
export async function runHarness(input: RunHarnessInput): Promise<HarnessReport> {
  const { baseUrl, token, hadBearer } = validateHarnessInput(input)
  registerSecret(token)
  const profile = getProfile(input.profile ?? 'okta')
  const readOnly = input.readOnly ?? false
  const runId = randomBytes(4).toString('hex')
  const runPrefix = `scimc-${runId}-`
  const options: HarnessOptions = {
    ...DEFAULT_OPTIONS,
    ...input.tuning,
    ...(input.importSize !== undefined ? { importSize: input.importSize } : {}),
  }
  const emit = (e: HarnessProgressEvent): void => {
    try {
      input.onProgress?.(e)
    } catch {
      // A broken listener must not break the run.
    }
  }
  const signal = input.signal
  const http = makeHttp(input, runId, baseUrl, token, profile, emit)
  const frame: ReportFrame = {
    runId,
    runPrefix,
    baseUrl,
    profile: profile.id,
    readOnly,
    startedAt: new Date(),
    http,
  }
  const finish = (
    ...args: Parameters<typeof buildReport> extends [unknown, ...infer R] ? R : never
  ): HarnessReport => {
    const report = buildReport(frame, ...args)
    http.close()
    emit({ type: 'run.finished', outcome: report.outcome, summary: report.summary })
    return report
  }

  const selected = allChecks.filter((c) => !input.only || input.only.includes(c.id))
  emit({
    type: 'run.started',
    runId,
    profile: profile.id,
    checks: selected.map((c) => ({ id: c.id, title: c.title, area: c.area })),
  })

  const emptyCleanup = { removed: [], leftovers: [] }
  const pre = await preflight(http, profile)
  if (pre.kind === 'cancelled') return finish('cancelled', [], emptyCleanup)
  if (pre.kind === 'stop') return finish('could_not_run', [], emptyCleanup, { error: pre.error })
  const authStatus = pre.authStatus

  const scope: RunScope = {
    profile,
    baseUrl,
    runPrefix,
    readOnly,
    tokenHadBearerPrefix: hadBearer,
    options,
    http,
    ledger: new ResourceLedger(runPrefix, http, profile),
    fixtures: new Map(),
  }
  const results = new Map<string, CheckResult>()
  const record = (
    def: CheckDef,
    outcome: CheckOutcome,
    ms: number,
    ids: string[],
    notes: string[],
  ) => {
    const result = toCheckResult(def, def.severity[profile.id], outcome, ms, ids, notes)
    results.set(def.id, result)
    emit({ type: 'check.finished', result, done: results.size, total: selected.length })
  }

  const runOne = async (def: CheckDef): Promise<void> => {
    const skip = skipReason(def, scope, authStatus, signal)
    if (skip) {
      record(def, { status: 'skip', message: skip }, 0, [], [])
      return
    }
    emit({ type: 'check.started', id: def.id })
    const s: CheckScratch = { warnings: [], notes: [], extra: [] }
    const t0 = performance.now()
    let outcome: CheckOutcome
    try {
      outcome = await def.run(makeCheckContext(scope, def, s))
    } catch (err) {
      outcome = outcomeOfThrow(err, signal)
    }
    if (s.warnings.length > 0) {
      if (outcome.status === 'pass') {
        const w = s.warnings[0]!
        outcome = { status: 'warn', message: w.message, ...w.info }
        s.notes.push(...s.warnings.slice(1).map((x) => x.message))
      } else {
        s.notes.push(...s.warnings.map((x) => x.message))
      }
    }
    const own = http.exchanges.filter((x) => x.checkId === def.id).map((x) => x.id)
    record(def, outcome, performance.now() - t0, [...new Set([...s.extra, ...own])], s.notes)
  }

  for (const def of selected.filter((c) => c.phase === 'exclusive')) await runOne(def)
  await Promise.all(selected.filter((c) => c.phase === undefined).map(runOne))

  // Cleanup runs even after cancellation, detached from the run's signal.
  const toRemove = scope.ledger.all()
  emit({ type: 'cleanup.started', resources: toRemove.length })
  const cleanup = await cleanUp(toRemove, http, profile, runPrefix)
  emit({ type: 'cleanup.finished', cleanup })
  for (const def of selected.filter((c) => c.phase === 'final')) await runOne(def)

  const checks = selected.map((c) => results.get(c.id)!).filter(Boolean)
  const failed = checks.some((c) => c.status === 'fail' || c.status === 'error')
  const outcome = signal?.aborted ? 'cancelled' : failed ? 'failed' : 'passed'
  const notRun = authStatus === undefined ? 0 : checks.filter((c) => c.status === 'skip').length
  return finish(outcome, checks, cleanup, {
    ...(authStatus !== undefined
      ? {
          stoppedEarly: {
            reason: `The token was rejected (HTTP ${authStatus}): the run stopped after the authentication checks; ${notRun} of ${checks.length} checks could not run.`,
            notRun,
          },
        }
      : {}),
  })
}
