import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { OnboardingStatus } from '../../src-shared/channels/onboarding.ts'
import { createLogger } from '../logger.ts'
import { call, createDispatcher, type Dispatch } from '../dispatcher.ts'
import { createHarnessService } from '../harness/harness-service.ts'
import { OnboardingService } from '../onboarding/onboarding-service.ts'
import { ONBOARDING_FILE, OnboardingStore } from '../onboarding/onboarding-store.ts'
import { createHandlers } from './index.ts'
import {
  startBackendBehindFaultProxy,
  type BackendBehindFaultProxy,
} from '../../test/support/backend-behind-fault-proxy.ts'
import {
  openHandlerTestContext,
  type HandlerTestContext,
} from '../../test/support/handler-test-context.ts'
import { IDP_METADATA_DIR } from '../../test/fixtures/index.ts'

const oktaMetadata = {
  kind: 'text' as const,
  text: readFileSync(`${IDP_METADATA_DIR}/okta-app-trial-org.xml`, 'utf8'),
  name: 'okta-app-trial-org.xml',
}

let t: HandlerTestContext
let target: { connection: string; tenantId: string }

beforeAll(async () => {
  t = await openHandlerTestContext()
  const list = await call(t.dispatch, 'connections.list', {})
  if (!list.ok) throw new Error(list.error.message)
  const embedded = t.services.backends.embedded()!
  target = { connection: embedded.name, tenantId: embedded.tenantId }
})
afterAll(() => t.close())

function value<T>(result: { ok: boolean; value?: T; error?: unknown }): T {
  if (!result.ok) throw new Error(`call failed: ${JSON.stringify(result.error)}`)
  return result.value as T
}

const statuses = (s: OnboardingStatus) => Object.fromEntries(s.steps.map((x) => [x.id, x.status]))

/** Okta's real sequence for one assigned user (SCIM-REFERENCE.md section 3). */
async function oktaAssigns(baseUrl: string, token: string, userName: string): Promise<number[]> {
  const headers = {
    Authorization: `Bearer ${token}`,
    Accept: 'application/scim+json',
    'Content-Type': 'application/scim+json; charset=utf-8',
    'User-Agent': 'Okta SCIM Client 1.0.0',
  }
  const codes: number[] = []
  const send = async (path: string, init: RequestInit = {}) => {
    const res = await fetch(`${baseUrl}${path}`, { headers, ...init })
    await res.arrayBuffer()
    codes.push(res.status)
  }
  await send('/Users?startIndex=1&count=2')
  await send(
    `/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}&startIndex=1&count=100`,
  )
  await send('/Users', {
    method: 'POST',
    body: JSON.stringify({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName,
      name: { givenName: 'Jane', familyName: 'Doe' },
      emails: [{ primary: true, value: userName, type: 'work' }],
      displayName: 'Jane Doe',
      locale: 'en-US',
      externalId: '00ujl29u0le5T6Aj10h7',
      groups: [],
      password: '1mz050nq',
      active: true,
    }),
  })
  return codes
}

describe('onboarding handlers over the real reference backend', () => {
  let secret = ''

  it('starts a fresh tenant at step 1 with go-live blocked, and refuses steps out of turn without saving anything', async () => {
    const s = value(await call(t.dispatch, 'onboarding.status', target))
    expect(s.complete).toBe(false)
    expect(s.current).toBe('connect')
    expect(statuses(s)).toEqual({
      connect: 'current',
      sso: 'blocked',
      scim: 'blocked',
      test: 'blocked',
      golive: 'blocked',
    })
    expect(s.steps.find((x) => x.id === 'golive')!.blockedBy).toMatch(/step 2 \(SSO\)/)
    expect(s.embedded).toBe(true)
    expect(s.scimBaseUrl).toMatch(/\/scim\/v2$/)

    const early = await call(t.dispatch, 'onboarding.beginGoLive', target)
    expect(early.ok).toBe(false)
    if (!early.ok) expect(early.error.code).toBe('onboarding.blocked')
    const noToken = await call(t.dispatch, 'onboarding.startTest', target)
    expect(noToken.ok).toBe(false)
    if (!noToken.ok) expect(noToken.error.code).toBe('onboarding.blocked')
    const noSso = await call(t.dispatch, 'onboarding.confirmSso', target)
    expect(noSso.ok).toBe(false)
    if (!noSso.ok) {
      expect(noSso.error.code).toBe('onboarding.blocked')
      expect(noSso.error.hint).toMatch(/push it/)
    }
    const again = value(await call(t.dispatch, 'onboarding.status', target))
    expect(statuses(again)).toEqual(statuses(s))
    expect(existsSync(join(t.dataDir, ONBOARDING_FILE))).toBe(false)
  })

  it('ticks connect and SSO once the metadata is pushed and the SP values confirmed', async () => {
    const connected = value(await call(t.dispatch, 'onboarding.confirmConnect', target))
    expect(statuses(connected)).toMatchObject({ connect: 'done', sso: 'current', scim: 'ready' })
    value(await call(t.dispatch, 'sso.push', { ...target, source: oktaMetadata }))
    const confirmed = value(await call(t.dispatch, 'onboarding.confirmSso', target))
    // The SP values alone do not finish SSO: a test sign-in, or a skip with its reason, does.
    expect(confirmed.steps.find((x) => x.id === 'sso')!.status).toBe('current')
    const tooShort = await call(t.dispatch, 'onboarding.skipSignInTest', { ...target, reason: ' ' })
    expect(tooShort.ok).toBe(false)
    const sso = value(
      await call(t.dispatch, 'onboarding.skipSignInTest', {
        ...target,
        reason: 'the Okta test user is not set up yet',
      }),
    )
    expect(sso.steps.find((x) => x.id === 'sso')).toMatchObject({
      status: 'done',
      summary: expect.stringContaining('http://www.okta.com/exkdoocxa1VmjpXmX697'),
    })
    expect(sso.steps.find((x) => x.id === 'sso')!.summary).toContain(
      'test sign-in skipped: the Okta test user is not set up yet',
    )
    expect(sso.sso.signInSkipped?.reason).toBe('the Okta test user is not set up yet')
    expect(sso.current).toBe('scim')
  })

  it('takes a keychain token for the Okta app, refuses one it does not hold', async () => {
    const unknown = await call(t.dispatch, 'onboarding.confirmScim', {
      ...target,
      tokenId: 'no-such-token',
      oktaApp: 'header',
    })
    expect(unknown.ok).toBe(false)
    if (!unknown.ok) expect(unknown.error.code).toBe('secrets.not_found')

    const created = value(await call(t.dispatch, 'tokens.create', { ...target, label: 'Okta' }))
    secret = created.secret
    const s = value(
      await call(t.dispatch, 'onboarding.confirmScim', {
        ...target,
        tokenId: created.id,
        oktaApp: 'header',
      }),
    )
    expect(s.scim).toMatchObject({ tokenId: created.id, oktaApp: 'header', tokenInKeychain: true })
    expect(s.steps.find((x) => x.id === 'scim')!.summary).toContain(
      'SCIM 2.0 Test App (Header Auth)',
    )
    expect(statuses(s)).toMatchObject({ scim: 'done', test: 'current', golive: 'blocked' })
  })

  it('runs the okta profile with the keychain token, saves the report with the tenant and unblocks go-live', async () => {
    const { runId } = value(await call(t.dispatch, 'onboarding.startTest', target))
    let s = value(await call(t.dispatch, 'onboarding.status', target))
    expect(s.test?.runId).toBe(runId)
    while (s.test?.running) {
      await new Promise((r) => setTimeout(r, 200))
      s = value(await call(t.dispatch, 'onboarding.status', target))
    }
    expect(s.test).toMatchObject({ outcome: 'passed', problems: [], leftovers: [] })
    expect(s.test!.summary!.pass).toBeGreaterThan(10)
    expect(statuses(s)).toMatchObject({ test: 'done', golive: 'current' })

    const file = readFileSync(join(t.dataDir, ONBOARDING_FILE), 'utf8')
    const saved = JSON.parse(file).tenants[`${target.connection}/${target.tenantId}`]
    expect(saved.test.runId).toBe(runId)
    expect(saved.test.report.outcome).toBe('passed')
    expect(saved.test.report.profile).toBe('okta')
    expect(file).not.toContain(secret)
    // One harness per process: the Conformance screen's channels see onboarding's run too.
    const report = value(await call(t.dispatch, 'harness.report', { runId })).report
    expect(report).toMatchObject({ runId: saved.test.report.runId, outcome: 'passed' })
  })

  it('waits for the IdP: harness-prefixed users do not count, Okta’s sequence makes the first user arrive', async () => {
    const started = value(await call(t.dispatch, 'onboarding.beginGoLive', target))
    expect(started.goLive).toMatchObject({ firstUser: null, events: [] })
    expect(started.goLive.startedAt).not.toBeNull()
    const baseUrl = started.scimBaseUrl

    // A straggling harness create (the run prefix) is not the IdP.
    const fake = await fetch(`${baseUrl}/Users`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${secret}`, 'Content-Type': 'application/scim+json' },
      body: JSON.stringify({
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
        userName: 'scimc-leftover-user',
      }),
    })
    expect(fake.status).toBe(201)
    let s = value(await call(t.dispatch, 'onboarding.status', target))
    expect(s.goLive.firstUser).toBeNull()
    expect(s.complete).toBe(false)

    expect(await oktaAssigns(baseUrl, secret, 'jane@acme.com')).toEqual([200, 200, 201])
    s = value(await call(t.dispatch, 'onboarding.status', target))
    expect(s.goLive.firstUser?.userName).toBe('jane@acme.com')
    expect(s.goLive.events.map((e) => e.meaning)).toEqual([
      'Okta read the user list: “Test API Credentials” or an import',
      'Okta looked for jane@acme.com before creating it (the match step)',
      'Okta created jane@acme.com',
    ])
    expect(s.complete).toBe(true)
    expect(s.current).toBeNull()
    expect(s.steps.find((x) => x.id === 'golive')!.summary).toBe(
      'First user arrived: jane@acme.com',
    )
  })

  it('resumes from the saved file in a new process (a fresh onboarding service over the same data folder)', async () => {
    // A new process has its own onboarding service and harness (no run of its own), over the
    // same data folder and backend.
    const onboarding = new OnboardingService({
      store: new OnboardingStore(t.dataDir),
      access: () => t.services.backends.access(),
      embeddedName: () => t.services.backends.embedded()?.name ?? null,
      harness: createHarnessService({ onProgress: () => undefined }),
    })
    const fresh: Dispatch = createDispatcher({
      handlers: createHandlers({ ...t.services, onboarding }),
      logger: createLogger({ write: () => undefined }),
    })
    const s = value(await call(fresh, 'onboarding.status', target))
    expect(s.complete).toBe(true)
    expect(s.test?.outcome).toBe('passed')
    expect(s.test?.running).toBe(false)
  })

  it('exports the checklist and the last report as one self-contained HTML file without the token', async () => {
    const out = value(await call(t.dispatch, 'onboarding.export', target))
    expect(out.mimeType).toBe('text/html')
    expect(out.fileName).toMatch(/^onboarding-.+\.html$/)
    expect(out.text).toContain('First user arrived: jane@acme.com')
    expect(out.text).toContain('Go-live checklist')
    expect(out.text).toContain('SCIM conformance report')
    expect(out.text).toContain('SCIM 2.0 Test App (Header Auth)')
    expect(out.text.match(/<html/g)).toHaveLength(1)
    expect(out.text).not.toMatch(/<script|<link|\ssrc=/i)
    expect(out.text).not.toContain(secret)
  })

  it('reports an unreadable onboarding file with its path and fix, and leaves it as it was', async () => {
    const path = join(t.dataDir, ONBOARDING_FILE)
    const good = readFileSync(path, 'utf8')
    writeFileSync(path, '{"version":1,"tenants":{"x":{"connection":1}}}')
    const r = await call(t.dispatch, 'onboarding.confirmConnect', target)
    expect(r.ok).toBe(false)
    if (!r.ok) {
      expect(r.error.code).toBe('onboarding.state_invalid')
      expect(r.error.message).toContain(path)
      expect(r.error.hint).toMatch(/delete the file/)
    }
    expect(readFileSync(path, 'utf8')).toBe('{"version":1,"tenants":{"x":{"connection":1}}}')
    writeFileSync(path, good)
  })

  it('revoking the token that passed the test reopens steps 3-5, says why, and keeps the revoked token visible', async () => {
    const before = value(await call(t.dispatch, 'onboarding.status', target))
    expect(statuses(before)).toMatchObject({ scim: 'done', test: 'done', golive: 'done' })
    const tokenId = before.scim.tokenId!
    const label = before.scim.tokenLabel!
    // Rotation as the tokens screen does it: a new token alongside, then the old one revoked.
    const next = value(
      await call(t.dispatch, 'tokens.rotate', { ...target, tokenId, label: 'Okta (rotated)' }),
    )
    value(await call(t.dispatch, 'tokens.revoke', { ...target, tokenId }))

    const s = value(await call(t.dispatch, 'onboarding.status', target))
    expect(statuses(s)).toMatchObject({ scim: 'current', test: 'blocked', golive: 'blocked' })
    const step = (id: string) => s.steps.find((x) => x.id === id)!
    expect(step('scim').changed).toMatch(
      new RegExp(
        `^Reopened: the token “${label}” was revoked on \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} UTC \\(the newer token is “Okta \\(rotated\\)”\\)`,
      ),
    )
    expect(step('test').changed).toMatch(
      /The test passed, but the token .* was revoked.*run the test again/,
    )
    expect(step('golive').changed).toMatch(
      /^The first user \(jane@acme.com\) arrived, but the token/,
    )
    expect(step('golive').summary).toBeNull()

    const list = value(await call(t.dispatch, 'tokens.list', target))
    expect(list.tokens.map((x) => x.id)).not.toContain(tokenId)
    expect(list.revoked.find((x) => x.id === tokenId)).toMatchObject({
      label,
      revokedAt: expect.stringMatching(/^\d{4}-/),
      replacedBy: { id: next.id, label: 'Okta (rotated)' },
    })

    // Confirming the new token and passing the test again with it brings go-live back.
    value(
      await call(t.dispatch, 'onboarding.confirmScim', {
        ...target,
        tokenId: next.id,
        oktaApp: 'header',
      }),
    )
    const again = value(await call(t.dispatch, 'onboarding.status', target))
    expect(statuses(again)).toMatchObject({ scim: 'done', test: 'current' })
    expect(again.steps.find((x) => x.id === 'test')!.changed).toMatch(
      /The test passed with the token “.*”, not with “Okta \(rotated\)” that Okta now uses: run it again\./,
    )
  })

  it('reset forgets the checklist but leaves the backend as it was', async () => {
    const s = value(await call(t.dispatch, 'onboarding.reset', target))
    expect(s.current).toBe('connect')
    expect(s.sso.configured).toBe(true)
  })
})

describe('a failing pre-go-live test blocks go-live (backend behind a fault proxy)', () => {
  const adminKey = 'proxied-admin-key-0123456789abcdef'
  let h: HandlerTestContext
  let b: BackendBehindFaultProxy
  let proxied: { connection: string; tenantId: string }

  beforeAll(async () => {
    h = await openHandlerTestContext()
    // Deployed behind a proxy whose userName filters compare case-sensitively: Okta's match step
    // for "Jane@Acme.com" would miss an existing jane@acme.com and create a duplicate.
    b = await startBackendBehindFaultProxy({ adminKey, fault: 'filter-case-sensitive' })
    value(
      await call(h.dispatch, 'connections.add', {
        name: 'behind-proxy',
        adminBaseUrl: b.adminBaseUrl,
        adminKey,
      }),
    )
    proxied = { connection: 'behind-proxy', tenantId: b.tenantId }
    value(await call(h.dispatch, 'onboarding.confirmConnect', proxied))
    value(await call(h.dispatch, 'sso.push', { ...proxied, source: oktaMetadata }))
    value(await call(h.dispatch, 'onboarding.confirmSso', proxied))
    value(
      await call(h.dispatch, 'onboarding.skipSignInTest', { ...proxied, reason: 'tested later' }),
    )
    const token = value(await call(h.dispatch, 'tokens.create', { ...proxied, label: 'Okta' }))
    value(
      await call(h.dispatch, 'onboarding.confirmScim', {
        ...proxied,
        tokenId: token.id,
        oktaApp: 'header',
      }),
    )
  })
  afterAll(async () => {
    await h?.close()
    await b?.close()
  })

  async function runTest(): Promise<OnboardingStatus> {
    const { runId } = value(await call(h.dispatch, 'onboarding.startTest', proxied))
    let s = value(await call(h.dispatch, 'onboarding.status', proxied))
    expect(s.test?.runId).toBe(runId)
    while (s.test?.running) {
      await new Promise((r) => setTimeout(r, 200))
      s = value(await call(h.dispatch, 'onboarding.status', proxied))
    }
    return s
  }

  it('fails step 4 on the case-sensitive filter, with its fix, and go-live stays blocked', async () => {
    const before = value(await call(h.dispatch, 'onboarding.status', proxied))
    // The backend reports the proxy as its SCIM base URL, so the test goes where Okta would.
    expect(before.scimBaseUrl).toBe(b.scimBaseUrl)
    expect(new URL(before.scimBaseUrl).port).not.toBe(new URL(b.adminBaseUrl).port)
    expect(statuses(before)).toMatchObject({ scim: 'done', test: 'current', golive: 'blocked' })

    const s = await runTest()
    expect(b.proxy.requests.some((r) => /filter=userName/.test(r.path))).toBe(true)
    expect(s.test?.outcome).toBe('failed')
    expect(s.test!.summary!.fail).toBeGreaterThan(0)
    const failing = s.test!.problems.find((p) => p.id === 'filters.user_name_case_insensitive')
    expect(failing).toMatchObject({
      status: 'fail',
      fix: 'Compare userName case-insensitively in filters (and in the uniqueness check).',
    })
    expect(statuses(s)).toMatchObject({ test: 'current', golive: 'blocked' })
    expect(s.steps.find((x) => x.id === 'test')!.summary).toBeNull()
    expect(s.steps.find((x) => x.id === 'golive')!.blockedBy).toMatch(
      /the pre-go-live test failed \d+ checks?: fix them and run it again/,
    )
    expect(s.complete).toBe(false)

    const refused = await call(h.dispatch, 'onboarding.beginGoLive', proxied)
    expect(refused.ok).toBe(false)
    if (!refused.ok) {
      expect(refused.error.code).toBe('onboarding.blocked')
      expect(refused.error.message).toMatch(/pre-go-live test failed/)
    }
    const after = value(await call(h.dispatch, 'onboarding.status', proxied))
    expect(after.goLive.startedAt).toBeNull()
  })

  it('passes once the fault is fixed and redeployed, and go-live opens', async () => {
    await b.redeploy()
    const s = await runTest()
    expect(s.scimBaseUrl).toBe(b.scimBaseUrl)
    expect(b.proxy.requests.some((r) => /filter=userName/.test(r.path))).toBe(true)
    expect(s.test).toMatchObject({ outcome: 'passed', problems: [] })
    expect(statuses(s)).toMatchObject({ test: 'done', golive: 'current' })
    expect(s.steps.find((x) => x.id === 'golive')!.blockedBy).toBeNull()
    const live = value(await call(h.dispatch, 'onboarding.beginGoLive', proxied))
    expect(live.goLive.startedAt).not.toBeNull()
  })
})
