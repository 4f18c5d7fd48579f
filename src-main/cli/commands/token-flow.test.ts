import {
  appendFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { redact } from '../../../src-shared/redact.ts'
import { startServer, type RunningServer } from '../../../src-server/server.ts'
import { runCli } from '../../../test/support/cli-test-io.ts'
import { createConnectionService } from '../../connections/connection-service.ts'
import { createLogger } from '../../logger.ts'
import { TOKEN_PREFIX } from '../../secrets/generate-token.ts'
import { openSecretStore } from '../../secrets/open-secret-store.ts'
import {
  fileHaystacks,
  findLeaks,
  secretNeedles,
} from '../../../test/support/secret-leak-search.ts'
import { createTokenService } from '../../secrets/token-service.ts'

/**
 * The whole token flow through the CLI, as an admin or a CI job would run it, then a search of
 * every file the console and the backend wrote for the secrets' bytes. Uses the real keychain
 * when a D-Bus session exists (scripts/with-keychain.sh), else the explicitly chosen memory store.
 */
const useKeychain = Boolean(process.env.DBUS_SESSION_BUS_ADDRESS)
console.log(
  useKeychain
    ? 'token flow: using the real keychain (D-Bus session present)'
    : 'token flow: no D-Bus session, using the explicitly chosen in-memory store; run under scripts/with-keychain.sh for the keychain variant',
)

const ADMIN_KEY = 'admin-key-for-the-token-flow-test-0123456789'
let serverDir: string
let appDir: string
let backend: RunningServer

beforeAll(async () => {
  serverDir = mkdtempSync(join(tmpdir(), 'scim-console-flow-server-'))
  appDir = mkdtempSync(join(tmpdir(), 'scim-console-flow-app-'))
  const serverLog = join(serverDir, 'server.log')
  backend = await startServer({
    port: 0,
    host: '127.0.0.1',
    dataDir: serverDir,
    adminKey: ADMIN_KEY,
    log: (entry) => appendFileSync(serverLog, JSON.stringify(entry) + '\n'),
  })
})

afterAll(async () => {
  await backend?.close()
  rmSync(serverDir, { recursive: true, force: true })
  rmSync(appDir, { recursive: true, force: true })
})

it('connect, generate, register, use, rotate, revoke; no secret bytes anywhere on disk', async () => {
  const env: NodeJS.ProcessEnv = {
    SCIM_CONSOLE_DATA_DIR: appDir,
    SCIM_CONSOLE_ADMIN_KEY: ADMIN_KEY,
    ...(useKeychain ? {} : { SCIM_CONSOLE_SECRET_STORE: 'memory' }),
  }
  // The app's JSON-lines log, as main writes it: every CLI run and every SCIM call goes in.
  mkdirSync(join(appDir, 'logs'))
  const log = createLogger({
    write: (line) => appendFileSync(join(appDir, 'logs', 'main.log'), line),
  })
  const transcript: string[] = []
  async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
    const result = await runCli(args, { env })
    log.info('cli', { args, ...result })
    transcript.push(result.err)
    return result
  }
  async function scim(secret: string): Promise<number> {
    const headers = { Authorization: `Bearer ${secret}` }
    const r = await fetch(`${backend.scimBaseUrl}/Users`, { headers })
    const body = await r.text()
    log.info('scim request', { url: r.url, headers, status: r.status })
    // A HAR entry and a report as the harness would save them: through the one redactor.
    const har = {
      log: {
        entries: [
          {
            request: {
              url: r.url,
              headers: [{ name: 'Authorization', value: headers.Authorization }],
            },
            response: { status: r.status, content: { text: body } },
          },
        ],
      },
    }
    mkdirSync(join(appDir, 'reports'), { recursive: true })
    writeFileSync(
      join(appDir, 'reports', `scim-${Date.now()}-${r.status}.har`),
      JSON.stringify(redact(har)),
    )
    return r.status
  }

  const tenant = backend.demoTenantId
  const added = await cli([
    'connection',
    'add',
    '--name',
    'reference',
    '--backend',
    backend.adminBaseUrl,
  ])
  expect(added.code).toBe(0)
  const scope = ['--tenant', tenant, '--connection', 'reference']

  const created = await cli(['token', 'create', ...scope, '--label', 'Okta'])
  expect(created.code).toBe(0)
  const first = created.out.trim()
  expect(first.startsWith(TOKEN_PREFIX)).toBe(true)
  const firstId = /SCIM token (\S+) /.exec(created.err)?.[1] ?? ''
  expect(await scim(first)).toBe(200)

  const rotated = await cli(['token', 'rotate', ...scope, '--token', firstId])
  expect(rotated.code).toBe(0)
  const second = rotated.out.trim()
  const secondId = /SCIM token (\S+) /.exec(rotated.err)?.[1] ?? ''
  expect(await scim(first)).toBe(200)
  expect(await scim(second)).toBe(200)

  const listed = await cli(['token', 'list', ...scope, '--json'])
  const tokens = JSON.parse(listed.out).tokens as Array<{
    id: string
    inKeychain: boolean
    lastUsedAt: string | null
  }>
  expect(tokens.find((t) => t.id === firstId)?.lastUsedAt).not.toBeNull()
  expect(tokens.find((t) => t.id === secondId)?.inKeychain).toBe(true)

  expect((await cli(['token', 'revoke', ...scope, '--token', firstId])).code).toBe(0)
  expect(await scim(first)).toBe(401)
  expect(await scim(second)).toBe(200)

  // The harness and the log read the live token from the store, never from a file.
  const store = openSecretStore({ env })
  const target = await createConnectionService({ dataDir: appDir, store }).resolve('reference')
  expect(
    await createTokenService({ store }).getTokenSecret({
      adminBaseUrl: target.adminBaseUrl,
      tenantId: tenant,
      tokenId: secondId,
    }),
  ).toBe(second)

  // Every file the console and the backend wrote, in every encoding a leak could take.
  const needles = [
    ...secretNeedles('first token', first),
    ...secretNeedles('second token', second),
    ...secretNeedles('admin key', ADMIN_KEY),
  ]
  const files = fileHaystacks(appDir, serverDir)
  const names = files.map(([f]) => f)
  expect(names.some((f) => f.endsWith('main.log'))).toBe(true)
  expect(names.some((f) => f.endsWith('.har'))).toBe(true)
  expect(names.some((f) => f.endsWith('settings.json'))).toBe(true)
  expect(findLeaks(files, needles)).toEqual([])
  // The log did record the flow (so the search above looked at something real).
  expect(readFileSync(join(appDir, 'logs', 'main.log'), 'utf8')).toContain('[REDACTED]')
  // Progress messages on stderr never carry a secret either.
  expect(transcript.join('\n')).not.toContain(first)
  expect(transcript.join('\n')).not.toContain(second)

  // Leave the keychain as we found it.
  expect((await cli(['token', 'revoke', ...scope, '--token', secondId])).code).toBe(0)
  expect((await cli(['connection', 'remove', '--name', 'reference'])).code).toBe(0)
})
