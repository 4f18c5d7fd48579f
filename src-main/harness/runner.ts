import { randomBytes } from 'node:crypto'
import { AppError } from '../../src-shared/errors.ts'
import {
  HARNESS_REPORT_SCHEMA_VERSION,
  type CheckResult,
  type CheckStatus,
  type Exchange,
  type HarnessProfile,
  type HarnessProgressEvent,
  type HarnessReport,
  type HarnessSummary,
  type ResourceRef,
  type Severity,
} from '../../src-shared/harness.ts'
import { redact, registerSecret } from '../../src-shared/redact.ts'
import {
  Blocked,
  Cancelled,
  CheckFailure,
  TransportProblem,
  get,
  isObject,
  resourcesOf,
  schemasOf,
  type CheckContext,
  type CheckDef,
  type CheckOutcome,
  type CreatedGroup,
  type CreatedUser,
  type FailureInfo,
  type HarnessOptions,
} from './check.ts'
import { allChecks } from './checks/index.ts'
import { HttpCapture, type ScimResponse } from './http-capture.ts'
import { getProfile, LIST_SCHEMA, type Profile, type UserSeed } from './profiles.ts'

export const HARNESS_TOOL = { name: 'scim-console', version: '0.1.0' }

export interface RunHarnessInput {
  baseUrl: string
  token: string
  profile?: HarnessProfile
  readOnly?: boolean
  /** Requests in flight at once (default 4: gentle on a remote tenant). */
  concurrency?: number
  /** Per-request timeout (default 30 s, below the IdPs' 60 s). */
  timeoutMs?: number
  signal?: AbortSignal
  onProgress?: (event: HarnessProgressEvent) => void
  /** Run only these check ids (tests, targeted re-runs). */
  only?: string[]
  tuning?: Partial<HarnessOptions> & {
    maxRetryAfterMs?: number
    fallbackRetryMs?: number
  }
  fetch?: typeof fetch
}

const DEFAULT_OPTIONS: HarnessOptions = { latencyWarnMs: 5000, latencyFailMs: 60_000, pageUsers: 7 }

function emptySummary(): HarnessSummary {
  return { total: 0, pass: 0, fail: 0, warn: 0, info: 0, skip: 0, error: 0 }
}

/** A broken behaviour weighs what the profile says it weighs. */
export function applySeverity(status: CheckOutcome['status'], severity: Severity): CheckStatus {
  if (status === 'pass' || status === 'skip') return status
  if (severity === 'info') return 'info'
  if (severity === 'warn') return 'warn'
  return status === 'warn' ? 'warn' : status
}

/** Throws AppError harness.bad_input for a base URL or token the run cannot use. */
export function validateHarnessInput(input: Pick<RunHarnessInput, 'baseUrl' | 'token'>): {
  baseUrl: string
  token: string
  hadBearer: boolean
} {
  let url: URL
  try {
    url = new URL(input.baseUrl)
  } catch {
    throw new AppError('harness.bad_input', `"${input.baseUrl}" is not a URL.`, {
      hint: 'Give the SCIM base URL, for example https://app.example.com/scim/v2',
    })
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new AppError('harness.bad_input', `The base URL must be http(s), not ${url.protocol}`, {
      hint: 'Give the SCIM base URL, for example https://app.example.com/scim/v2',
    })
  }
  if (url.search || url.hash) {
    throw new AppError('harness.bad_input', 'The base URL must not carry a query or fragment.', {
      hint: `Use ${url.origin}${url.pathname}`,
    })
  }
  let token = input.token.trim()
  const hadBearer = /^bearer\s+/i.test(token)
  if (hadBearer) token = token.replace(/^bearer\s+/i, '').trim()
  if (token === '') {
    throw new AppError('harness.bad_input', 'The SCIM token is empty.', {
      hint: 'Pass the bearer secret the IdP will use (SCIM_TOKEN, --token-env or --token-stdin).',
    })
  }
  return { baseUrl: `${url.origin}${url.pathname}`.replace(/(?<!\/)\/+$/, ''), token, hadBearer }
}

function notScim(url: string, res: ScimResponse): AppError {
  const type = res.headers.get('content-type') ?? '(no content type)'
  const looksHtml = /html/i.test(type) || /^\s*</.test(res.text)
  return new AppError(
    'scim.not_scim',
    res.status === 404
      ? `GET ${url} answered 404: there is no SCIM /Users endpoint under this base URL.`
      : `GET ${url} answered HTTP ${res.status} ${type}${looksHtml ? ' (an HTML page)' : ''}, not a SCIM ListResponse: this is not a SCIM endpoint.`,
    {
      hint: 'The base URL must be the SCIM root that /Users hangs off, for example https://app.example.com/scim/v2 (without /Users at the end).',
      details: { status: res.status, contentType: type },
    },
  )
}

/**
 * Runs the conformance checks of one profile against a SCIM base URL. Safe by construction:
 * every resource it creates carries the run prefix, it only modifies those, and it removes them
 * at the end, also after cancellation. Resolves to the report; rejects only for bad input.
 */
export async function runHarness(input: RunHarnessInput): Promise<HarnessReport> {
  const { baseUrl, token, hadBearer } = validateHarnessInput(input)
  registerSecret(token)
  const profile: Profile = getProfile(input.profile ?? 'okta')
  const readOnly = input.readOnly ?? false
  const runId = randomBytes(4).toString('hex')
  const runPrefix = `scimc-${runId}-`
  const options: HarnessOptions = { ...DEFAULT_OPTIONS, ...input.tuning }
  const emit = (e: HarnessProgressEvent): void => {
    try {
      input.onProgress?.(e)
    } catch {
      // A broken listener must not break the run.
    }
  }
  const signal = input.signal
  const startedAt = new Date()
  const http = new HttpCapture({
    baseUrl,
    token,
    timeoutMs: input.timeoutMs ?? 30_000,
    concurrency: input.concurrency ?? 4,
    ...(signal ? { signal } : {}),
    defaultHeaders: profile.headers,
    contentType: profile.contentType,
    ...(input.tuning?.maxRetryAfterMs !== undefined
      ? { maxRetryAfterMs: input.tuning.maxRetryAfterMs }
      : {}),
    ...(input.tuning?.fallbackRetryMs !== undefined
      ? { fallbackRetryMs: input.tuning.fallbackRetryMs }
      : {}),
    ...(input.fetch ? { fetch: input.fetch } : {}),
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

  const finish = (
    outcome: HarnessReport['outcome'],
    checks: CheckResult[],
    cleanup: HarnessReport['cleanup'],
    error?: AppError,
  ): HarnessReport => {
    const summary = emptySummary()
    for (const c of checks) {
      summary.total++
      summary[c.status]++
    }
    const finishedAt = new Date()
    const report: HarnessReport = redact({
      schemaVersion: HARNESS_REPORT_SCHEMA_VERSION,
      tool: HARNESS_TOOL,
      runId,
      runPrefix,
      baseUrl,
      profile: profile.id,
      readOnly,
      startedAt: startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      durationMs: finishedAt.getTime() - startedAt.getTime(),
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
      summary,
      checks,
      exchanges: http.exchanges,
      cleanup,
    })
    emit({ type: 'run.finished', outcome, summary })
    return report
  }

  const selected = allChecks.filter((c) => !input.only || input.only.includes(c.id))
  emit({
    type: 'run.started',
    runId,
    profile: profile.id,
    checks: selected.map((c) => ({ id: c.id, title: c.title, area: c.area })),
  })

  // Preflight: is there a SCIM endpoint at all, and does the token open it?
  const t = profile.connectionTest
  const pre = await http.request({
    method: 'GET',
    path: t.path,
    query: t.query,
    checkId: 'preflight',
  })
  const emptyCleanup = { removed: [], leftovers: [] }
  if (pre.error?.code === 'cancelled') return finish('cancelled', [], emptyCleanup)
  if (pre.error) {
    return finish(
      'could_not_run',
      [],
      emptyCleanup,
      new AppError(pre.error.code, pre.error.message, {
        hint: 'Check the URL, that the server is running and reachable from this machine, and any proxy or firewall in between.',
      }),
    )
  }
  const authRejected = pre.status === 401 || pre.status === 403
  const looksScim =
    isObject(pre.json) &&
    (schemasOf(pre.json).includes(LIST_SCHEMA) ||
      typeof get(pre.json, 'totalResults') === 'number' ||
      schemasOf(pre.json).some((s) => s.startsWith('urn:ietf:params:scim:')))
  // A 404 to a plain list (no filter: a filter's 404 may be the no-match bug the checks report)
  // means there is no /Users under this base URL, even when the 404 body is a SCIM Error.
  const noUsersEndpoint = pre.status === 404 && t.query.filter === undefined
  if ((!authRejected && pre.status < 500 && !looksScim) || noUsersEndpoint) {
    return finish('could_not_run', [], emptyCleanup, notScim(http.url(t.path, t.query), pre))
  }

  // Resources this run created (or may have created): the only ones it will ever delete.
  const tracked = new Map<string, ResourceRef>()
  const keyOf = (r: ResourceRef): string => `${r.type}:${r.name}`
  let seq = 0
  const seedFor = (tag: string): UserSeed => {
    const n = ++seq
    const local = `${runPrefix}${tag}-${n}`
    return {
      userName: `${local}@scimc.example.com`,
      givenName: 'Scimc',
      familyName: `Test${tag.replace(/[^a-z0-9]/gi, '')}${n}`,
      email: `${local}@scimc.example.com`,
      externalId: `${runPrefix}ext-${n}`,
    }
  }

  const createUser = async (
    seed: UserSeed,
    checkId: string,
    transform?: (b: Record<string, unknown>) => Record<string, unknown>,
  ): Promise<CreatedUser> => {
    const body = transform ? transform(profile.createUser(seed)) : profile.createUser(seed)
    const ref: ResourceRef = { type: 'Users', name: seed.userName }
    tracked.set(keyOf(ref), ref)
    const res = await http.request({ method: 'POST', path: '/Users', body, checkId })
    const id = get(res.json, 'id')
    if (res.status >= 200 && res.status < 300 && typeof id === 'string') ref.id = id
    else if (!res.error && res.status >= 400 && res.status < 500) tracked.delete(keyOf(ref))
    return { seed, body, res, id: typeof id === 'string' ? id : undefined }
  }
  const createGroup = async (displayName: string, checkId: string): Promise<CreatedGroup> => {
    const ref: ResourceRef = { type: 'Groups', name: displayName }
    tracked.set(keyOf(ref), ref)
    const res = await http.request({
      method: 'POST',
      path: '/Groups',
      body: profile.createGroup(displayName, `${runPrefix}gext-${++seq}`),
      checkId,
    })
    const id = get(res.json, 'id')
    if (res.status >= 200 && res.status < 300 && typeof id === 'string') ref.id = id
    else if (!res.error && res.status >= 400 && res.status < 500) tracked.delete(keyOf(ref))
    return { displayName, res, id: typeof id === 'string' ? id : undefined }
  }

  let primary: Promise<CreatedUser> | undefined
  let any: Promise<Record<string, unknown> | undefined> | undefined

  const makeContext = (
    def: CheckDef,
    warnings: Array<{ message: string; info: FailureInfo }>,
    notes: string[],
    extra: string[],
  ): CheckContext => {
    const send: CheckContext['send'] = async (req) => {
      const res = await http.request({ ...req, checkId: def.id })
      if (res.error?.code === 'cancelled') throw new Cancelled()
      if (res.error)
        throw new TransportProblem(
          `${req.method} ${res.exchange.request.url}: ${res.error.message}`,
        )
      if (res.status >= 500 && !req.allow5xx) {
        throw new TransportProblem(
          `${req.method} ${res.exchange.request.url} answered HTTP ${res.status}; the behaviour could not be judged.`,
        )
      }
      return res
    }
    const guard = async <T extends { res: ScimResponse }>(p: Promise<T>): Promise<T> => {
      const v = await p
      extra.push(v.res.exchange.id)
      if (v.res.error?.code === 'cancelled') throw new Cancelled()
      if (v.res.error) throw new TransportProblem(v.res.error.message)
      if (v.res.status >= 500) throw new TransportProblem(`POST answered HTTP ${v.res.status}.`)
      return v
    }
    return {
      checkId: def.id,
      profile,
      baseUrl,
      runPrefix,
      readOnly,
      tokenHadBearerPrefix: hadBearer,
      options,
      http,
      send,
      warn: (message, info = {}) => warnings.push({ message, info }),
      note: (text) => notes.push(text),
      userSeed: seedFor,
      groupName: (tag) => `${runPrefix}${tag}-${++seq}`,
      createUser: (seed, transform) => guard(createUser(seed, def.id, transform)),
      createGroup: (name) => guard(createGroup(name, def.id)),
      track: (ref) => tracked.set(keyOf(ref), ref),
      forget: (ref) => tracked.delete(keyOf(ref)),
      primaryUser: () => {
        primary ??= createUser(seedFor('primary'), 'fixture.primary_user')
        return guard(primary)
      },
      anyUser: async () => {
        any ??= http
          .request({
            method: 'GET',
            path: '/Users',
            query: { startIndex: 1, count: 1 },
            checkId: 'fixture.any_user',
          })
          .then((r) => resourcesOf(r.json)[0])
        return any
      },
      exchanges: (): Exchange[] => http.exchanges,
      rateLimits: () => http.rateLimits,
    }
  }

  const results = new Map<string, CheckResult>()
  let done = 0
  const record = (
    def: CheckDef,
    outcome: CheckOutcome,
    durationMs: number,
    exchangeIds: string[],
    notes: string[],
  ): void => {
    const severity = def.severity[profile.id]
    const result: CheckResult = redact({
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
    results.set(def.id, result)
    done++
    emit({ type: 'check.finished', result, done, total: selected.length })
  }

  const runOne = async (def: CheckDef): Promise<void> => {
    const severity = def.severity[profile.id]
    let skipReason: string | undefined
    if (severity === 'skip') skipReason = `Not part of the ${profile.label} profile.`
    else if (readOnly && def.writes)
      skipReason = 'Read-only run: this check creates or changes resources.'
    else if (authRejected && def.area !== 'auth')
      skipReason = `The token was rejected (HTTP ${pre.status}); fix authentication first.`
    else if (signal?.aborted) skipReason = 'Cancelled before it started.'
    if (skipReason) {
      record(def, { status: 'skip', message: skipReason }, 0, [], [])
      return
    }
    emit({ type: 'check.started', id: def.id })
    const warnings: Array<{ message: string; info: FailureInfo }> = []
    const notes: string[] = []
    const extra: string[] = []
    const t0 = performance.now()
    let outcome: CheckOutcome
    try {
      outcome = await def.run(makeContext(def, warnings, notes, extra))
    } catch (err) {
      if (err instanceof CheckFailure)
        outcome = { status: 'fail', message: err.message, ...err.info }
      else if (err instanceof TransportProblem) outcome = { status: 'error', message: err.message }
      else if (err instanceof Blocked) outcome = { status: 'skip', message: err.message }
      else if (err instanceof Cancelled || signal?.aborted)
        outcome = { status: 'skip', message: 'Cancelled while running.' }
      else
        outcome = {
          status: 'error',
          message: `The check itself crashed (a scim-console bug): ${(err as Error)?.message ?? String(err)}`,
        }
    }
    if (warnings.length > 0) {
      if (outcome.status === 'pass') {
        const w = warnings[0]!
        outcome = { status: 'warn', message: w.message, ...w.info }
        notes.push(...warnings.slice(1).map((x) => x.message))
      } else {
        notes.push(...warnings.map((x) => x.message))
      }
    }
    const own = http.exchanges.filter((x) => x.checkId === def.id).map((x) => x.id)
    record(def, outcome, performance.now() - t0, [...new Set([...extra, ...own])], notes)
  }

  for (const def of selected.filter((c) => c.phase === 'exclusive')) await runOne(def)
  await Promise.all(selected.filter((c) => c.phase === undefined).map(runOne))

  // Cleanup runs even after cancellation, detached from the run's signal.
  const cleanup = await cleanUp([...tracked.values()], http, profile)
  emit({ type: 'cleanup.finished', cleanup })
  for (const def of selected.filter((c) => c.phase === 'final')) await runOne(def)

  const checks = selected.map((c) => results.get(c.id)!).filter(Boolean)
  const failed = checks.some((c) => c.status === 'fail' || c.status === 'error')
  const outcome = signal?.aborted ? 'cancelled' : failed ? 'failed' : 'passed'
  return finish(outcome, checks, cleanup)

  async function cleanUp(
    refs: ResourceRef[],
    client: HttpCapture,
    p: Profile,
  ): Promise<HarnessReport['cleanup']> {
    emit({ type: 'cleanup.started', resources: refs.length })
    const removed: ResourceRef[] = []
    const leftovers: HarnessReport['cleanup']['leftovers'] = []
    // Groups first: deleting users first would leave dangling members behind.
    const ordered = [
      ...refs.filter((r) => r.type === 'Groups'),
      ...refs.filter((r) => r.type === 'Users'),
    ]
    await Promise.all(
      ordered.map(async (ref) => {
        let id = ref.id
        if (id === undefined) {
          // The POST got no usable answer (timeout, cancel): the resource may exist anyway.
          const query = ref.type === 'Users' ? p.userLookup(ref.name) : p.groupLookup(ref.name)
          const found = await client.request({
            method: 'GET',
            path: `/${ref.type}`,
            query,
            checkId: 'cleanup',
            detached: true,
          })
          const hit = resourcesOf(found.json).find(
            (r) => (ref.type === 'Users' ? r.userName : r.displayName) === ref.name,
          )
          if (found.status === 200 && !hit) return // never created
          if (!hit || typeof hit.id !== 'string') {
            leftovers.push({
              ...ref,
              reason: `Could not tell whether it was created (lookup answered ${found.status || found.error?.code}).`,
            })
            return
          }
          id = hit.id
        }
        const path = `/${ref.type}/${encodeURIComponent(id)}`
        const res = await client.request({
          method: 'DELETE',
          path,
          checkId: 'cleanup',
          detached: true,
        })
        if (res.status === 404) {
          removed.push({ ...ref, id })
          return
        }
        if (res.status === 204 || res.status === 200) {
          // Trust but verify: a server that acknowledges DELETE without deleting would otherwise
          // leave test data behind while the report says it is gone.
          const after = await client.request({
            method: 'GET',
            path,
            checkId: 'cleanup',
            detached: true,
          })
          if (after.status === 404) removed.push({ ...ref, id })
          else
            leftovers.push({
              ...ref,
              id,
              reason: `DELETE answered ${res.status} but GET still answers ${after.status || after.error?.code}.`,
            })
          return
        }
        let reason = `DELETE answered ${res.status || res.error?.code}.`
        if (ref.type === 'Users' && !res.error) {
          // Many apps never delete users (Okta never asks them to): at least deactivate it.
          const off = await client.request({
            method: 'PATCH',
            path,
            body: p.setActive(false),
            checkId: 'cleanup',
            detached: true,
          })
          if (off.status === 200 || off.status === 204)
            reason += ' Deactivated it instead (active=false).'
        }
        leftovers.push({ ...ref, id, reason })
      }),
    )
    return { removed, leftovers }
  }
}
