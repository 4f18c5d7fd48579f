import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../../../test/support/cli-test-io.ts'
import { IDP_METADATA_DIR } from '../../../test/fixtures/index.ts'

const ROOT = resolve(import.meta.dirname, '../../..')
const fixture = (name: string): string => join(IDP_METADATA_DIR, name)

async function run(
  args: string[],
  stdinText?: string,
): Promise<{ code: number; out: string; err: string }> {
  return runCli(['metadata', 'inspect', ...args], { stdin: stdinText ?? '' })
}

describe('scim-console metadata inspect', () => {
  it('an expired only certificate is usable but the verdict says SSO fails now, naming it', async () => {
    const r = await run([fixture('entra-app-federationmetadata-expired-2023.xml')])
    expect(r.code).toBe(0)
    expect(r.out).toMatch(/^USABLE/)
    expect(r.out).toContain(
      'Verdict        ERROR: SSO will fail now: the only signing certificate has expired',
    )
    expect(r.out).toContain('Issued by      Microsoft Entra ID')
    expect(r.out).toContain('Microsoft Entra admin center')
  })

  it('prints a summary, the certificates and the findings; exit 0 when usable', async () => {
    const r = await run([fixture('google-workspace-2-signing-certs-rollover.xml')])
    expect(r.code).toBe(0)
    expect(r.out).toMatch(/^USABLE/)
    expect(r.out).toContain('Issued by      Google Workspace')
    expect(r.out).toMatch(/^Verdict {8}(OK|WARN|ERROR): /m)
    expect(r.out).toContain('Entity ID      https://accounts.google.com/o/saml2?idpid=C023zw3x8')
    expect(r.out).toMatch(
      /SSO\s+HTTP-Redirect\s+https:\/\/accounts\.google\.com\/o\/saml2\/idp\?idpid=C023zw3x8/,
    )
    expect(r.out).toContain('Signing certificates (2):')
    expect(r.out).toMatch(/SHA-256 ([0-9A-F]{2}:){31}[0-9A-F]{2}/)
    expect(r.out).toContain('Findings:')
    expect(r.err).toBe('')
  })

  it('--json prints one object with the documented fields', async () => {
    const r = await run([fixture('okta-app-trial-org.xml'), '--json'])
    expect(r.code).toBe(0)
    const j = JSON.parse(r.out) as Record<string, unknown>
    expect(j).toMatchObject({
      ok: true,
      entityId: 'http://www.okta.com/exkdoocxa1VmjpXmX697',
      nameIdFormats: expect.any(Array),
      findings: expect.any(Array),
      idps: [],
    })
    const sso = j.ssoServices as { binding: string; location: string }[]
    expect(sso.map((s) => s.binding)).toEqual([
      'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST',
      'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect',
    ])
    const [cert] = j.signingCertificates as Record<string, unknown>[]
    expect(Object.keys(cert ?? {})).toEqual(
      expect.arrayContaining(['sha256Fingerprint', 'notBefore', 'notAfter', 'subject']),
    )
    expect(cert).not.toHaveProperty('der')
  })

  it('exit 1 and the error code on stderr when the metadata is not usable', async () => {
    const r = await run([fixture('sp-salesforce-not-idp.xml'), '--json'])
    expect(r.code).toBe(1)
    const j = JSON.parse(r.out) as {
      ok: boolean
      findings: { severity: string; code: string; message: string; hint: string }[]
    }
    expect(j.ok).toBe(false)
    expect(j.findings[0]).toMatchObject({ severity: 'error', code: 'metadata.not_idp' })
    expect(j.findings[0]?.hint).toBeTruthy()
    expect(r.err).toMatch(/^metadata\.not_idp: /)
  })

  it('lists the IdPs of an aggregate and selects one with --entity-id', async () => {
    const file = fixture('shibboleth-switch-aaitest-signed-aggregate.xml')
    const listed = await run([file, '--json'])
    expect(listed.code).toBe(1)
    expect((JSON.parse(listed.out) as { idps: string[] }).idps).toHaveLength(35)
    expect(listed.err).toContain('metadata.choose_idp')
    const chosen = await run([file, '--entity-id', 'https://testidp.unifr.ch/idp/shibboleth'])
    expect(chosen.code).toBe(0)
    expect(chosen.out).toContain('Entity ID      https://testidp.unifr.ch/idp/shibboleth')
  })

  it('reads pasted metadata from stdin with -', async () => {
    const r = await run(['-', '--json'], readFileSync(fixture('auth0-tenant-app.xml'), 'utf8'))
    expect(r.code).toBe(0)
    expect(JSON.parse(r.out)).toMatchObject({
      entityId: 'urn:dev-tyj7qyzz.auth0.com',
      source: 'paste:stdin',
    })
  })

  it.each([
    [[], /Give the metadata file or URL/],
    [['a.xml', 'b.xml'], /Unexpected argument "b\.xml"/],
    [['--nope', 'a.xml'], /Unknown option '--nope'/],
  ])('exit 2 on bad usage %j', async (args, message) => {
    const r = await run(args)
    expect(r.code).toBe(2)
    expect(r.err).toMatch(/^cli\.usage: /)
    expect(r.err).toMatch(message)
    expect(r.out).toBe('')
  })

  it('exit 2 with the code when the file cannot be read', async () => {
    const r = await run([join(IDP_METADATA_DIR, 'no-such-file.xml')])
    expect(r.code).toBe(2)
    expect(r.err).toMatch(/^metadata\.read_failed: .*does not exist/)
    expect(r.err).toMatch(/hint: /)
  })

  it('exit 2 for a forbidden URL', async () => {
    const r = await run(['http://idp.example.com/metadata'])
    expect(r.code).toBe(2)
    expect(r.err).toMatch(/^network\.forbidden_url: /)
  })

  describe('with a URL on a real loopback server', () => {
    let server: Server
    let base: string
    beforeAll(async () => {
      const okta = readFileSync(fixture('okta-app-trial-org.xml'))
      server = createServer((req, res) => {
        if (req.url === '/metadata') res.writeHead(200, { 'content-type': 'text/xml' }).end(okta)
        else res.writeHead(404).end()
      })
      await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    })
    afterAll(async () => {
      server.closeAllConnections()
      await new Promise((ok) => server.close(ok))
    })

    it('fetches, parses and reports', async () => {
      const r = await run([`${base}/metadata`, '--json'])
      expect(r.code).toBe(0)
      expect(JSON.parse(r.out)).toMatchObject({ ok: true, source: `${base}/metadata` })
    })

    it('exit 2 with network.http_status for a 404', async () => {
      const r = await run([`${base}/gone`])
      expect(r.code).toBe(2)
      expect(r.err).toMatch(/^network\.http_status: .*404/)
    })
  })

  it('works as a real process through bin/scim-console.mjs', () => {
    const usable = spawnSync(
      process.execPath,
      [
        join(ROOT, 'bin/scim-console.mjs'),
        'metadata',
        'inspect',
        fixture('keycloak-realm-master-keyname.xml'),
        '--json',
      ],
      { encoding: 'utf8', timeout: 60_000 },
    )
    expect(usable.status).toBe(0)
    expect(JSON.parse(usable.stdout)).toMatchObject({
      ok: true,
      entityId: 'http://localhost:8085/realms/master',
    })

    const refused = spawnSync(
      process.execPath,
      [
        join(ROOT, 'bin/scim-console.mjs'),
        'metadata',
        'inspect',
        fixture('edge-billion-laughs-doctype-response.xml'),
      ],
      { encoding: 'utf8', timeout: 60_000 },
    )
    expect(refused.status).toBe(1)
    expect(refused.stdout).toMatch(/^NOT USABLE/)
    expect(refused.stderr).toMatch(/metadata\.dtd_forbidden/)
  })
})
