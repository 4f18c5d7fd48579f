import type {
  CheckArea,
  Exchange,
  HarnessProfile,
  ResourceRef,
  Severity,
} from '../../src-shared/harness.ts'
import type { HttpCapture, RateLimitEvent, ScimRequest, ScimResponse } from './http-capture.ts'
import type { ResourceLedger } from './ledger.ts'
import type { Profile, UserSeed } from './profiles.ts'

/** What one check concluded before the profile's severity is applied. */
export interface CheckOutcome {
  status: 'pass' | 'fail' | 'warn' | 'skip' | 'error'
  message: string
  expected?: string
  actual?: string
  idpImpact?: string
  fix?: string
  notes?: string[]
}

export interface CheckDef {
  /** Stable id: reports, CI filters and the UI key on it. */
  id: string
  title: string
  area: CheckArea
  /** The spec text it rests on (RFC section, IdP doc, test-suite step). */
  spec: string
  /** The IdP behaviour this check protects, in one sentence. */
  protects: string
  severity: Record<HarnessProfile, Severity>
  /**
   * The check judges an RFC 7643/7644 (or RFC 6750) MUST/SHALL: by the severity policy it is at
   * least `warn` in every profile that runs it, never `info`.
   */
  rfcMust?: boolean
  /** Creates or modifies resources: skipped in read-only mode. */
  writes: boolean
  /**
   * `exclusive` checks run alone before the others (they need a quiet server); `final` checks
   * judge the whole run's traffic, so they run after all the others.
   */
  phase?: 'exclusive' | 'final'
  run(ctx: CheckContext): Promise<CheckOutcome>
}

export interface FailureInfo {
  expected?: string
  actual?: string
  idpImpact?: string
  fix?: string
}

/** Thrown inside a check to stop it with a failure. */
export class CheckFailure extends Error {
  readonly info: FailureInfo
  constructor(message: string, info: FailureInfo = {}) {
    super(message)
    this.info = info
  }
}

/** Thrown when the server's 5xx or a timeout makes the behaviour impossible to judge. */
export class TransportProblem extends Error {}

/** Thrown when a check cannot run because something it needs failed earlier. */
export class Blocked extends Error {}

/** Thrown when the run was cancelled while the check was waiting for an answer. */
export class Cancelled extends Error {}

export interface CreatedUser {
  seed: UserSeed
  body: Record<string, unknown>
  res: ScimResponse
  id: string | undefined
}

export interface CreatedGroup {
  displayName: string
  res: ScimResponse
  id: string | undefined
}

export interface HarnessOptions {
  latencyWarnMs: number
  latencyFailMs: number
  pageUsers: number
  /** Users the import rehearsal creates (groups: a quarter as many); above common page caps. */
  importSize: number
}

export interface CheckContext {
  checkId: string
  profile: Profile
  baseUrl: string
  runPrefix: string
  readOnly: boolean
  /** The supplied token began with "Bearer " (pasted from a header); it was stripped. */
  tokenHadBearerPrefix: boolean
  options: HarnessOptions
  /** Sends a request attributed to this check; throws TransportProblem on 5xx or no answer. */
  send(req: ScimRequest & { allow5xx?: boolean }): Promise<ScimResponse>
  warn(message: string, info?: FailureInfo): void
  note(text: string): void
  /** A fresh, run-prefixed user seed; `tag` keeps names readable. */
  userSeed(tag: string): UserSeed
  groupName(tag: string): string
  /** Creates a user with the profile's body and registers it for cleanup. */
  createUser(
    seed: UserSeed,
    transform?: (body: Record<string, unknown>) => Record<string, unknown>,
    opts?: { bulk?: boolean },
  ): Promise<CreatedUser>
  createGroup(displayName: string, opts?: { bulk?: boolean }): Promise<CreatedGroup>
  /** Registers a resource for cleanup (e.g. a duplicate the server should have refused). */
  track(ref: ResourceRef): void
  /** Unregisters a resource the check deleted itself. */
  forget(ref: ResourceRef): void
  /** Shared fixtures: the run's primary user, created once by the profile's create request. */
  primaryUser(): Promise<CreatedUser>
  /** Any existing user (first page of /Users), for read-only runs. */
  anyUser(): Promise<Record<string, unknown> | undefined>
  /** A fixture shared by several checks, built once by whichever check asks first. */
  fixture<T>(key: string, build: () => Promise<T>): Promise<T>
  /** Everything this run created and the identity it last gave it: the ground truth. */
  ledger: ResourceLedger
  exchanges(): Exchange[]
  rateLimits(): RateLimitEvent[]
  http: HttpCapture
}

/** `/Users/{id}` or `/Groups/{id}` with the id encoded: ids come from the server under test. */
export function resPath(type: 'Users' | 'Groups', id: string): string {
  return `/${type}/${encodeURIComponent(id)}`
}

export function get(obj: unknown, path: string): unknown {
  let cur: unknown = obj
  for (const part of path.split('.')) {
    if (cur === null || cur === undefined) return undefined
    if (/^\d+$/.test(part) && Array.isArray(cur)) cur = cur[Number(part)]
    else cur = (cur as Record<string, unknown>)[part]
  }
  return cur
}

export function show(value: unknown): string {
  if (value === undefined) return '(missing)'
  const text = JSON.stringify(value)
  return text.length > 300 ? `${text.slice(0, 300)}…` : text
}

/** Status and (redacted) body of a response, for expected-vs-actual lines. */
export function describeResponse(res: ScimResponse): string {
  const text = res.exchange.response?.body ?? ''
  const body = text.length > 200 ? `${text.slice(0, 200)}…` : text
  return `HTTP ${res.status}${body ? ` ${body}` : ' (empty body)'}`
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

export function schemasOf(json: unknown): string[] {
  const s = isObject(json) ? json.schemas : undefined
  return Array.isArray(s) ? s.map(String) : []
}

/** `Resources` of a ListResponse (empty when absent, which is legal with totalResults 0). */
export function resourcesOf(json: unknown): Record<string, unknown>[] {
  const r = isObject(json) ? json.Resources : undefined
  return Array.isArray(r) ? r.filter(isObject) : []
}

export function expectStatus(
  res: ScimResponse,
  expected: number | number[],
  info: FailureInfo & { what: string },
): void {
  const list = Array.isArray(expected) ? expected : [expected]
  if (!list.includes(res.status)) {
    throw new CheckFailure(`${info.what}: expected HTTP ${list.join(' or ')}, got ${res.status}.`, {
      expected: `HTTP ${list.join(' or ')}`,
      actual: describeResponse(res),
      ...info,
    })
  }
}

export function check(cond: unknown, message: string, info: FailureInfo = {}): asserts cond {
  if (!cond) throw new CheckFailure(message, info)
}

export const sev = (okta: Severity, entra: Severity, rfc: Severity): CheckDef['severity'] => ({
  okta,
  entra,
  rfc,
})
