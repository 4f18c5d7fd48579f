import { oktaTokenAdviceText, oktaTokenAppKinds } from '../../../src-shared/okta-token-advice.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningServer } from '../../../src-server/server.ts'
import { startCliTestBackend, type CliTestBackend } from '../../../test/support/cli-test-backend.ts'
import { TOKEN_PREFIX } from '../../secrets/generate-token.ts'
import { runCli } from '../../../test/support/cli-test-io.ts'

const ADMIN_KEY = 'admin-key-for-token-cli-tests-0123456789'
let appDir: string
let backend: RunningServer
let fixture: CliTestBackend

beforeAll(async () => {
  fixture = await startCliTestBackend('token-cli', ADMIN_KEY)
  ;({ appDir, backend } = fixture)
})
afterAll(() => fixture?.close())

// --backend with the key in the environment: what scripts and CI use, with no saved state.
// The memory store is chosen explicitly; token-flow.test.ts covers the real keychain.
async function run(args: string[], extraEnv: NodeJS.ProcessEnv = {}) {
  return runCli(args, {
    env: {
      SCIM_CONSOLE_DATA_DIR: appDir,
      SCIM_CONSOLE_SECRET_STORE: 'memory',
      SCIM_CONSOLE_ADMIN_KEY: ADMIN_KEY,
      ...extraEnv,
    },
  })
}

const scimStatus = async (secret: string) => {
  const r = await fetch(`${backend.scimBaseUrl}/Users`, {
    headers: { Authorization: `Bearer ${secret}` },
  })
  await r.arrayBuffer()
  return r.status
}

describe('scim-console token', () => {
  it('token create --okta-app header prints only the Header Auth advice; a bad kind is a usage error', async () => {
    const scope = ['--tenant', backend.demoTenantId, '--backend', backend.adminBaseUrl]
    const created = await run(['token', 'create', ...scope, '--okta-app', 'header'])
    expect(created.code).toBe(0)
    expect(created.err).toContain(oktaTokenAdviceText('header'))
    expect(created.err).toContain('Paste: Bearer <the token above>')
    expect(created.err).not.toContain(oktaTokenAdviceText('oauth'))
    const bad = await run(['token', 'create', ...scope, '--okta-app', 'bearer'])
    expect(bad.code).not.toBe(0)
    expect(bad.err).toContain('--okta-app "bearer" is not an Okta app kind')
  })

  it('creates, lists, rotates and revokes; secrets only on stdout and only on create/rotate', async () => {
    const scope = ['--tenant', backend.demoTenantId, '--backend', backend.adminBaseUrl]
    const created = await run(['token', 'create', ...scope, '--label', 'Okta prod'])
    expect(created.code).toBe(0)
    const secret = created.out.trim()
    expect(created.out).toBe(`${secret}\n`)
    expect(secret.startsWith(TOKEN_PREFIX)).toBe(true)
    expect(created.err).not.toContain(secret)
    expect(created.err).toContain('only time')
    // The same advice as the tokens screen and the wizard, for every Okta app kind.
    for (const kind of oktaTokenAppKinds) expect(created.err).toContain(oktaTokenAdviceText(kind))
    const tokenId = /SCIM token (\S+) /.exec(created.err)?.[1] ?? ''
    expect(await scimStatus(secret)).toBe(200)

    const listed = await run(['token', 'list', ...scope])
    expect(listed.code).toBe(0)
    expect(listed.out).toContain(tokenId)
    expect(listed.out).toContain('Okta prod')
    expect(listed.out).toMatch(/yes \(….{4}\)/)
    expect(listed.out + listed.err).not.toContain(secret)
    const json = JSON.parse((await run(['token', 'list', ...scope, '--json'])).out)
    expect(json.tokens.find((t: { id: string }) => t.id === tokenId)).toMatchObject({
      inKeychain: true,
    })

    const rotated = await run(['token', 'rotate', ...scope, '--token', tokenId])
    expect(rotated.code).toBe(0)
    const newSecret = rotated.out.trim()
    expect(rotated.out).toBe(`${newSecret}\n`)
    expect(newSecret).not.toBe(secret)
    expect(rotated.err).toContain(
      `token revoke --tenant ${backend.demoTenantId} --token ${tokenId}`,
    )
    expect(await scimStatus(secret)).toBe(200)
    expect(await scimStatus(newSecret)).toBe(200)

    const revoked = await run(['token', 'revoke', ...scope, '--token', tokenId])
    expect(revoked.code).toBe(0)
    expect(revoked.out).toContain('revoked on the backend; removed from the keychain')
    expect(await scimStatus(secret)).toBe(401)
    expect(await scimStatus(newSecret)).toBe(200)
  })

  it('prints the secret inside JSON with --json for scripts', async () => {
    const r = await run([
      'token',
      'create',
      '--tenant',
      backend.demoTenantId,
      '--backend',
      backend.adminBaseUrl,
      '--json',
    ])
    expect(r.code).toBe(0)
    const body = JSON.parse(r.out)
    expect(body.secret.startsWith(TOKEN_PREFIX)).toBe(true)
    expect(await scimStatus(body.secret)).toBe(200)
  })

  it('explains what is missing', async () => {
    const noTenant = await run(['token', 'list', '--backend', backend.adminBaseUrl])
    expect(noTenant.code).toBe(2)
    expect(noTenant.err).toContain('--tenant is required')
    const noTarget = await run(['token', 'list', '--tenant', 't'])
    expect(noTarget.code).toBe(2)
    expect(noTarget.err).toContain('--connection NAME or --backend URL')
    const noKey = await run(['token', 'list', '--tenant', 't', '--backend', backend.adminBaseUrl], {
      SCIM_CONSOLE_ADMIN_KEY: '',
    })
    expect(noKey.code).toBe(2)
    expect(noKey.err).toContain('SCIM_CONSOLE_ADMIN_KEY')
    const unknownFlag = await run(['token', 'list', '--tenant', 't', '--bogus'])
    expect(unknownFlag.code).toBe(2)
    expect(unknownFlag.err).toContain('--bogus')
    const noTokenId = await run([
      'token',
      'revoke',
      '--tenant',
      't',
      '--backend',
      backend.adminBaseUrl,
    ])
    expect(noTokenId.code).toBe(2)
    expect(noTokenId.err).toContain('--token is required')
  })
})
