import { describe, expect, it } from 'vitest'
import { consoleTrafficHeaders } from '../../src-shared/console-traffic.ts'
import { requestSource } from './request-source.ts'

const ua = (userAgent: string) => requestSource({ 'user-agent': userAgent })

describe('requestSource: who sent a SCIM request', () => {
  it('names Okta from the User-Agents Okta sends (docs, captured PUT, its test suites)', () => {
    for (const s of ['Okta SCIM Client 1.0.0', 'OKTA SCIM Integration', 'Okta-Integrations']) {
      expect(ua(s), s).toEqual({ source: 'idp', sourceIdp: 'okta', userAgent: s })
    }
  })

  it('names Entra ID from its provisioning service User-Agents', () => {
    for (const s of [
      'Microsoft.AAD.Provisioning',
      'Azure AD Provisioning',
      'Mozilla/5.0 (compatible; Microsoft.AAD.Provisioning/1.0)',
    ]) {
      expect(ua(s).sourceIdp, s).toBe('entra')
      expect(ua(s).source, s).toBe('idp')
    }
  })

  it('counts other IdPs it knows by name as an IdP', () => {
    for (const s of [
      'OneLogin SCIM',
      'JumpCloud-SCIM/2.0',
      'PingFederate/11.3',
      'SailPoint IdentityNow',
    ]) {
      expect(ua(s), s).toMatchObject({ source: 'idp', sourceIdp: 'other' })
    }
  })

  it('puts curl, Postman, script libraries and browsers under "other"', () => {
    for (const s of [
      'curl/8.5.0',
      'PostmanRuntime/7.36.1',
      'python-requests/2.31.0',
      'Go-http-client/1.1',
      'node',
      'axios/1.6.7',
      'Wget/1.21.4',
      'HTTPie/3.2.2',
      'insomnia/8.6.1',
      'Mozilla/5.0 (Windows NT 10.0; Microsoft Windows 10.0.22631; en-US) PowerShell/7.4.1',
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36',
    ]) {
      expect(ua(s), s).toEqual({ source: 'other', userAgent: s })
    }
  })

  it('a request without a User-Agent is "other"; an unplaceable one counts as an IdP', () => {
    expect(requestSource({})).toEqual({ source: 'other', userAgent: null })
    expect(ua('   ')).toEqual({ source: 'other', userAgent: null })
    expect(ua('AcmeIdentityBridge/4.2')).toEqual({
      source: 'idp',
      sourceIdp: 'other',
      userAgent: 'AcmeIdentityBridge/4.2',
    })
  })

  it('the harness is recognised by its header although it sends Okta’s User-Agent', () => {
    const headers = consoleTrafficHeaders({
      kind: 'harness',
      id: '1a2b3c4d',
      version: '0.1.0',
      userAgent: 'Okta SCIM Client 1.0.0',
    })
    expect(headers['User-Agent']).toBe(
      'Okta SCIM Client 1.0.0 scim-console-harness/0.1.0 (run 1a2b3c4d)',
    )
    const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]))
    expect(requestSource(lower)).toEqual({
      source: 'harness',
      runId: '1a2b3c4d',
      userAgent: 'Okta SCIM Client 1.0.0 scim-console-harness/0.1.0 (run 1a2b3c4d)',
    })
    // The header alone (a proxy that rewrites User-Agents), and the User-Agent alone.
    expect(
      requestSource({ 'user-agent': 'Okta SCIM Client 1.0.0', 'x-scim-console-run': 'abc' }),
    ).toMatchObject({ source: 'harness', runId: 'abc' })
    expect(ua('scim-console (RFC profile) scim-console-harness/0.1.0 (run 9f9f)')).toMatchObject({
      source: 'harness',
      runId: '9f9f',
    })
  })

  it('the replay is recognised by its header or its product token', () => {
    expect(
      requestSource({
        'user-agent': 'Okta SCIM Client 1.0.0 scim-console-replay/0.1.0 (replay 77aa)',
        'x-scim-console-replay': '77aa',
      }),
    ).toMatchObject({ source: 'replay', runId: '77aa' })
    expect(ua('scim-console-replay/0.1.0')).toEqual({
      source: 'replay',
      userAgent: 'scim-console-replay/0.1.0',
    })
  })

  it('a run id that is not a short token is not kept; the source still is', () => {
    const s = requestSource({ 'x-scim-console-run': 'a b <script>', 'user-agent': 'curl/8' })
    expect(s).toEqual({ source: 'harness', userAgent: 'curl/8' })
    expect(requestSource({ 'x-scim-console-run': 'x'.repeat(65) }).runId).toBeUndefined()
  })

  it('stores the User-Agent capped and redacted', () => {
    const long = `Okta SCIM Client 1.0.0 ${'x'.repeat(400)}`
    expect(ua(long).userAgent).toHaveLength(256)
    const leaky = ua('MyTool/1.0 Authorization: Bearer abcdefghijklmnopqrstuvwxyz0123456789')
    expect(leaky.userAgent).not.toContain('abcdefghijklmnopqrstuvwxyz0123456789')
  })
})
