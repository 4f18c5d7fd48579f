import { describe, expect, it } from 'vitest'
import type { HarnessReport } from '../../src-shared/harness.ts'
import { deriveChecklist } from './checklist.ts'
import { freshState, type TenantOnboarding } from './onboarding-store.ts'

const facts = {
  connection: 'embedded',
  tenantName: 'Demo tenant',
  ssoConfigured: true,
  tokenInKeychain: true,
  testRunning: false,
}

function report(fail: number, outcome: HarnessReport['outcome']): HarnessReport {
  return {
    schemaVersion: 1,
    tool: { name: 'scim-console', version: '0' },
    runId: 'r1',
    runPrefix: 'scimc-r1-',
    baseUrl: 'http://127.0.0.1/scim/v2',
    profile: 'okta',
    readOnly: false,
    startedAt: '2026-01-01T00:00:00Z',
    finishedAt: '2026-01-01T00:00:01Z',
    durationMs: 1000,
    outcome,
    summary: { total: 10, pass: 10 - fail, fail, warn: 0, info: 0, skip: 0, error: 0 },
    checks: [],
    exchanges: [],
    cleanup: { removed: [], leftovers: [] },
  }
}

function walked(testReport: HarnessReport | null): TenantOnboarding {
  return {
    ...freshState({ connection: 'embedded', tenantId: 't1' }, '2026-01-01T00:00:00Z'),
    connectedAt: '2026-01-01T00:00:00Z',
    sso: { copiedAt: '2026-01-01T00:00:00Z', entityId: 'http://www.okta.com/x' },
    signInSkipped: { reason: 'no test user in Okta yet', at: '2026-01-01T00:00:00Z' },
    scim: { tokenId: 'tok1', tokenLabel: 'Okta', oktaApp: 'oauth', confirmedAt: '2026-01-01' },
    test: {
      runId: 'r1',
      tokenId: 'tok1',
      tokenLabel: 'Okta',
      startedAt: '2026-01-01',
      report: testReport,
    },
    goLive: null,
  }
}

const status = (c: ReturnType<typeof deriveChecklist>, id: string) =>
  c.steps.find((s) => s.id === id)!

describe('the go-live checklist', () => {
  it('blocks go-live on a failed pre-go-live test and says how many checks to fix', () => {
    const c = deriveChecklist(walked(report(2, 'failed')), facts)
    expect(status(c, 'test').status).toBe('current')
    expect(status(c, 'golive')).toMatchObject({
      status: 'blocked',
      blockedBy: expect.stringContaining('failed 2 checks: fix them and run it again'),
    })
    expect(c.complete).toBe(false)
  })

  it('opens go-live once the test passed with the token Okta uses', () => {
    const c = deriveChecklist(walked(report(0, 'passed')), facts)
    expect(status(c, 'test').status).toBe('done')
    expect(status(c, 'golive')).toMatchObject({ status: 'current', blockedBy: null })
  })

  it('does not count a pass made with another token than the one in Okta', () => {
    const state = walked(report(0, 'passed'))
    const c = deriveChecklist({ ...state, test: { ...state.test!, tokenId: 'old' } }, facts)
    expect(status(c, 'test').status).toBe('current')
    expect(status(c, 'golive').status).toBe('blocked')
  })

  it('reopens SSO when the tenant lost its IdP configuration, and go-live names it', () => {
    const c = deriveChecklist(walked(report(0, 'passed')), { ...facts, ssoConfigured: false })
    expect(status(c, 'sso').status).toBe('current')
    expect(status(c, 'golive').blockedBy).toMatch(/step 2 \(SSO\).*could not log in/)
  })

  it('keeps SSO open until a test sign-in succeeds or is skipped with a reason', () => {
    const base = { ...walked(report(0, 'passed')), signInSkipped: null }
    const result = {
      seq: 3,
      time: '2026-01-01T00:01:00Z',
      reason: null,
      message: 'Signed in',
      hint: null,
      userName: 'ada@example.com',
      nameId: 'ada@example.com',
      attributes: [],
      scimUser: null,
      explanation: null,
    }
    const waiting = deriveChecklist(
      { ...base, signInTest: { startedAt: '2026-01-01', afterSeq: 2, result: null } },
      facts,
    )
    expect(status(waiting, 'sso').status).toBe('current')
    expect(status(waiting, 'golive').blockedBy).toMatch(/no successful test sign-in/)
    const refused = deriveChecklist(
      {
        ...base,
        signInTest: {
          startedAt: '2026-01-01',
          afterSeq: 2,
          result: { ...result, outcome: 'failure', reason: 'saml.audience_mismatch' },
        },
      },
      facts,
    )
    expect(status(refused, 'sso').status).toBe('current')
    const signedIn = deriveChecklist(
      {
        ...base,
        signInTest: {
          startedAt: '2026-01-01',
          afterSeq: 2,
          result: { ...result, outcome: 'success' },
        },
      },
      facts,
    )
    expect(status(signedIn, 'sso')).toMatchObject({
      status: 'done',
      summary: expect.stringContaining(
        'test sign-in as ada@example.com (not provisioned by SCIM yet)',
      ),
    })
  })

  it('says a running test is running, not failed', () => {
    const c = deriveChecklist(walked(null), { ...facts, testRunning: true })
    expect(status(c, 'golive').blockedBy).toMatch(/still running/)
  })

  it('a revoked token reopens step 3 with when and what replaced it, and takes steps 4 and 5 down', () => {
    const state = {
      ...walked(report(0, 'passed')),
      goLive: {
        startedAt: '2026-01-02T00:00:00Z',
        afterSeq: 0,
        firstUser: { userName: 'jane@acme.com', time: '2026-01-02T00:00:02Z', seq: 3 },
      },
    } as TenantOnboarding
    expect(deriveChecklist(state, facts).complete).toBe(true)
    const c = deriveChecklist(state, {
      ...facts,
      tokenInKeychain: false,
      tokenLive: false,
      tokenRevokedAt: '2026-01-03T10:20:30Z',
      tokenReplacedBy: 'Okta 2',
    })
    expect(status(c, 'scim')).toMatchObject({
      status: 'current',
      changed:
        'Reopened: the token “Okta” was revoked on 2026-01-03 10:20 UTC (the newer token is “Okta 2”). Generate a new token, put it into Okta, and confirm again.',
    })
    expect(status(c, 'test').status).toBe('blocked')
    expect(status(c, 'test').changed).toMatch(/^The test passed, but the token “Okta” was revoked/)
    expect(status(c, 'golive')).toMatchObject({ status: 'blocked', summary: null })
    expect(status(c, 'golive').changed).toMatch(/^The first user \(jane@acme.com\) arrived, but/)
    expect(c.complete).toBe(false)
  })

  it('a token only missing from this keychain says so, not "revoked"', () => {
    const c = deriveChecklist(walked(report(0, 'passed')), {
      ...facts,
      tokenInKeychain: false,
      tokenLive: true,
    })
    expect(status(c, 'scim').changed).toContain('no longer in this computer’s keychain')
  })

  it('nothing changed: no step carries a "changed" line', () => {
    const c = deriveChecklist(walked(report(0, 'passed')), facts)
    expect(c.steps.map((x) => x.changed)).toEqual([null, null, null, null, null])
  })
})
