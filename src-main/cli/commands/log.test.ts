import { spawn } from 'node:child_process'
import { resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  oktaAssign,
  oktaDeactivate,
  startBackend,
  waitFor,
  type Backend,
} from '../../../test/support/log-test-support.ts'
import { runCli } from '../../../test/support/cli-test-io.ts'

const ROOT = resolve(import.meta.dirname, '../../..')

let b: Backend
beforeAll(async () => {
  b = await startBackend()
  await oktaAssign(b.scim, 'bob@acme.com')
  const id = (await oktaAssign(b.scim, 'jane@acme.com'))!
  await oktaDeactivate(b.scim, id)
})
afterAll(async () => {
  await b.dispose()
})

async function run(
  args: string[],
  env: NodeJS.ProcessEnv = { SCIM_CONSOLE_ADMIN_KEY: b.adminKey },
  signal?: AbortSignal,
): Promise<{ code: number; out: string; err: string }> {
  return runCli(args, { env, ...(signal ? { signal } : {}) })
}

describe('scim-console log explain', () => {
  it('explains a deactivated user with the timeline, the evidence and the fix; exit 1', async () => {
    const r = await run([
      'log',
      'explain',
      '--tenant',
      b.server.demoTenantId,
      '--user',
      'Jane@acme.com',
      '--backend',
      b.server.adminBaseUrl,
    ])
    expect(r.code).toBe(1)
    expect(r.out).toMatch(/Current state: jane@acme.com \(id .*\) INACTIVE/)
    expect(r.out).toMatch(/Timeline: 3 events/)
    expect(r.out).toMatch(/PROBLEM: One open problem for Jane@acme.com, explained below\./i)
    // The finding's text is printed once, not again in the verdict line.
    expect(r.out.match(/The user exists but is deactivated/g)).toHaveLength(1)
    expect(r.out).toMatch(/evidence #\d+ .* PATCH \/Users\//)
    expect(r.out).toMatch(/fix: Assign the user to the app again/)
    expect(r.out + r.err).not.toContain(b.adminKey)
  })

  it('exit 0 and no problem for a healthy user; --json gives the story and diagnosis', async () => {
    const r = await run([
      'log',
      'explain',
      '--tenant',
      b.server.demoTenantId,
      '--user',
      'bob@acme.com',
      '--backend',
      b.server.adminBaseUrl,
      '--json',
    ])
    expect(r.code).toBe(0)
    const story = JSON.parse(r.out)
    expect(story.diagnosis).toMatchObject({ verdict: 'healthy', findings: [] })
    expect(story.events.map((e: { method: string }) => e.method)).toEqual(['GET', 'POST'])
    // The backend redacts Okta's placeholder password; the export keeps it redacted.
    expect(r.out).not.toContain('1mz050nq')
  })

  it('bad usage: missing --user or --tenant, or no admin key, exits 2 and names the fix', async () => {
    const noUser = await run([
      'log',
      'explain',
      '--tenant',
      't',
      '--backend',
      b.server.adminBaseUrl,
    ])
    expect(noUser.code).toBe(2)
    expect(noUser.err).toMatch(/--user NAME is required/)
    const noTenant = await run([
      'log',
      'explain',
      '--user',
      'x',
      '--backend',
      b.server.adminBaseUrl,
    ])
    expect(noTenant.code).toBe(2)
    expect(noTenant.err).toMatch(/--tenant ID is required/)
    const noKey = await run(
      ['log', 'explain', '--tenant', 't', '--user', 'x', '--backend', b.server.adminBaseUrl],
      {},
    )
    expect(noKey.code).toBe(2)
    expect(noKey.err).toMatch(/SCIM_CONSOLE_ADMIN_KEY/)
  })

  it('a wrong admin key is refused with the hint, exit 2', async () => {
    const r = await run(
      [
        'log',
        'explain',
        '--tenant',
        b.server.demoTenantId,
        '--user',
        'x',
        '--backend',
        b.server.adminBaseUrl,
      ],
      { SCIM_CONSOLE_ADMIN_KEY: 'scimc_admin_not_the_key_at_all' },
    )
    expect(r.code).toBe(2)
    expect(r.err).toMatch(/backend.unauthorized/)
    expect(r.err).not.toContain('scimc_admin_not_the_key_at_all')
  })
})

describe('scim-console log tail', () => {
  it('--once prints the latest events of one user (found by userName, then by SCIM id)', async () => {
    const r = await run([
      'log',
      'tail',
      '--tenant',
      b.server.demoTenantId,
      '--user',
      'jane@acme.com',
      '--once',
      '--backend',
      b.server.adminBaseUrl,
    ])
    expect(r.code).toBe(0)
    const lines = r.out.trim().split('\n')
    expect(lines).toHaveLength(3)
    expect(lines[0]).toMatch(/GET +\/Users\?filter=.*200 .*lookup_empty/)
    expect(lines[1]).toMatch(/POST +\/Users +201 .*created/)
    expect(lines[2]).toMatch(/PATCH +\/Users\/\S+ +200 .*deactivated/)
  })

  it('--json --lines 1 prints one redacted JSON event', async () => {
    const r = await run([
      'log',
      'tail',
      '--tenant',
      b.server.demoTenantId,
      '--json',
      '--lines',
      '1',
      '--once',
      '--backend',
      b.server.adminBaseUrl,
    ])
    const lines = r.out.trim().split('\n')
    expect(lines).toHaveLength(1)
    expect(JSON.parse(lines[0]!)).toMatchObject({ method: 'PATCH', outcome: 'deactivated' })
  })

  it('follows the live stream until Ctrl-C (a real child process)', async () => {
    const child = spawn(
      process.execPath,
      [
        resolve(ROOT, 'bin/scim-console.mjs'),
        'log',
        'tail',
        '--tenant',
        b.server.demoTenantId,
        '--lines',
        '0',
        '--backend',
        b.server.adminBaseUrl,
      ],
      {
        env: { ...process.env, SCIM_CONSOLE_ADMIN_KEY: b.adminKey },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    let out = ''
    let err = ''
    child.stdout.on('data', (d) => (out += String(d)))
    child.stderr.on('data', (d) => (err += String(d)))
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)))
    await waitFor(() => /Ctrl-C to stop/.test(err), 'the tail to go live')
    await oktaAssign(b.scim, 'live.user@acme.com')
    await waitFor(() => /POST +\/Users +201 .*live.user@acme.com/.test(out), 'the live event')
    child.kill('SIGINT')
    expect(await exited).toBe(0)
    expect(out).toMatch(/GET +\/Users\?filter=userName%20eq%20%22live.user%40acme.com/)
  })
})

describe('scim-console log export', () => {
  it('writes the filtered events as HAR with absolute SCIM URLs, redacted', async () => {
    const r = await run([
      'log',
      'export',
      '--tenant',
      b.server.demoTenantId,
      '--format',
      'har',
      '--user',
      'jane@acme.com',
      '--backend',
      b.server.adminBaseUrl,
    ])
    expect(r.code).toBe(0)
    const har = JSON.parse(r.out)
    expect(har.log.entries.map((e: { request: { method: string } }) => e.request.method)).toEqual([
      'GET',
      'POST',
      'PATCH',
    ])
    expect(har.log.entries[1].request.url).toBe(`${b.server.scimBaseUrl}/Users`)
    expect(r.out).not.toContain(b.demoToken)
  })

  it('CSV of the 2xx POSTs only', async () => {
    const r = await run([
      'log',
      'export',
      '--tenant',
      b.server.demoTenantId,
      '--format',
      'csv',
      '--status-class',
      '2xx',
      '--method',
      'post',
      '--backend',
      b.server.adminBaseUrl,
    ])
    const rows = r.out.trim().split('\r\n')
    expect(rows.length).toBeGreaterThanOrEqual(3)
    expect(rows.slice(1).every((row) => /,POST,\/Users,201,/.test(row))).toBe(true)
  })

  it('a bad format or status class is a usage error naming the allowed values', async () => {
    const fmt = await run([
      'log',
      'export',
      '--tenant',
      't',
      '--format',
      'xml',
      '--backend',
      b.server.adminBaseUrl,
    ])
    expect(fmt.code).toBe(2)
    expect(fmt.err).toMatch(/--format must be one of jsonl, csv, har, not "xml"/)
    const cls = await run([
      'log',
      'export',
      '--tenant',
      't',
      '--format',
      'csv',
      '--status-class',
      '6xx',
      '--backend',
      b.server.adminBaseUrl,
    ])
    expect(cls.code).toBe(2)
    expect(cls.err).toMatch(/2xx, 3xx, 4xx or 5xx/)
  })
})
