import type { Exchange, ResourceRef } from '../../src-shared/harness.ts'
import {
  Cancelled,
  TransportProblem,
  resourcesOf,
  type CheckContext,
  type CheckDef,
  type CreatedUser,
  type FailureInfo,
  type HarnessOptions,
} from './check.ts'
import type { HttpCapture, ScimResponse } from './http-capture.ts'
import type { ResourceLedger } from './ledger.ts'
import type { Profile } from './profiles.ts'

/** What every check of one run shares: the client, the ledger and the lazy fixtures. */
export interface RunScope {
  profile: Profile
  baseUrl: string
  runPrefix: string
  readOnly: boolean
  tokenHadBearerPrefix: boolean
  options: HarnessOptions
  http: HttpCapture
  ledger: ResourceLedger
  fixtures: Map<string, Promise<unknown>>
}

/** What one check collects while it runs, besides its outcome. */
export interface CheckScratch {
  warnings: Array<{ message: string; info: FailureInfo }>
  notes: string[]
  /** Exchanges of shared fixtures this check waited for. */
  extra: string[]
}

export function makeCheckContext(scope: RunScope, def: CheckDef, s: CheckScratch): CheckContext {
  const { http, ledger, profile } = scope
  const send: CheckContext['send'] = async (req) => {
    const res = await http.request({ ...req, checkId: def.id })
    if (res.error?.code === 'cancelled') throw new Cancelled()
    if (res.error)
      throw new TransportProblem(`${req.method} ${res.exchange.request.url}: ${res.error.message}`)
    if (res.status >= 500 && !req.allow5xx) {
      throw new TransportProblem(
        `${req.method} ${res.exchange.request.url} answered HTTP ${res.status}; the behaviour could not be judged.`,
      )
    }
    return res
  }
  const guard = async <T extends { res: ScimResponse }>(p: Promise<T>): Promise<T> => {
    const v = await p
    s.extra.push(v.res.exchange.id)
    if (v.res.error?.code === 'cancelled') throw new Cancelled()
    if (v.res.error) throw new TransportProblem(v.res.error.message)
    if (v.res.status >= 500) throw new TransportProblem(`POST answered HTTP ${v.res.status}.`)
    return v
  }
  /** A fixture shared by several checks: built once, by whichever check asks first. */
  const fixture = <T>(key: string, build: () => Promise<T>): Promise<T> => {
    let p = scope.fixtures.get(key) as Promise<T> | undefined
    if (!p) {
      p = build()
      scope.fixtures.set(key, p)
    }
    return p
  }
  const createUser: CheckContext['createUser'] = async (seed, transform, opts) => {
    const made = await guard(ledger.createUser(seed, def.id, transform, opts?.bulk))
    return { seed, ...made }
  }
  return {
    checkId: def.id,
    profile,
    baseUrl: scope.baseUrl,
    runPrefix: scope.runPrefix,
    readOnly: scope.readOnly,
    tokenHadBearerPrefix: scope.tokenHadBearerPrefix,
    options: scope.options,
    http,
    ledger,
    send,
    warn: (message, info = {}) => s.warnings.push({ message, info }),
    note: (text) => s.notes.push(text),
    userSeed: (tag) => ledger.userSeed(tag),
    groupName: (tag) => ledger.groupName(tag),
    createUser,
    createGroup: async (name, opts) => {
      const made = await guard(ledger.createGroup(name, def.id, opts?.bulk))
      return { displayName: name, ...made }
    },
    track: (ref: ResourceRef) => void ledger.track(ref),
    forget: (ref: ResourceRef) => ledger.forget(ref),
    primaryUser: () =>
      guard(
        fixture<CreatedUser>('primary', async () => {
          const seed = ledger.userSeed('primary')
          return { seed, ...(await ledger.createUser(seed, 'fixture.primary_user')) }
        }),
      ),
    anyUser: () =>
      fixture('any', () =>
        http
          .request({
            method: 'GET',
            path: '/Users',
            query: { startIndex: 1, count: 1 },
            checkId: 'fixture.any_user',
          })
          .then((r) => resourcesOf(r.json)[0]),
      ),
    fixture,
    exchanges: (): Exchange[] => http.exchanges,
    rateLimits: () => http.rateLimits,
  }
}
