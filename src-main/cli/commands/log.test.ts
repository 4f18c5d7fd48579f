import { spawn } from 'node:child_process'
import { resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { consoleTrafficHeaders } from '../../../src-shared/console-traffic.ts'
import {
  oktaAssign,
  oktaDeactivate,
  oktaUser,
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
  // The console's own traffic, marked as the harness and the replay mark theirs: a create, its
  // expected 409 on a second POST, and a replay's lookup.
  await consoleRequest('harness', 'POST', '/Users', oktaUser('scimc-run1-a@acme.com'))
  await consoleRequest('harness', 'POST', '/Users', oktaUser('scimc-run1-a@acme.com'))
  await consoleRequest('replay', 'GET', '/Users?filter=userName%20eq%20%22nobody%40acme.com%22')
})

async function consoleRequest(
  kind: 'harness' | 'replay',
  method: string,
  path: string,
  body?: unknown,
): Promise<void> {
  const res = await fetch(`${b.server.scimBaseUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${b.demoToken}`,
      'content-type': 'application/scim+json',
      ...consoleTrafficHeaders({
        kind,
        id: kind === 'harness' ? 'run1' : 'replay1',
        version: '0.1.0',
        userAgent: 'Okta SCIM Client 1.0.0',
      }),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  })
  await res.arrayBuffer()
}
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

describe('log tail and export: who sent each event (--source, test traffic hidden by default)', () => {
  const target = () => ['--tenant', b.server.demoTenantId, '--backend', b.server.adminBaseUrl]

  it('tail shows each line’s source and leaves the harness and replay out, saying how many', async () => {
    const r = await run(['log', 'tail', ...target(), '--lines', '100', '--once'])
    expect(r.code).toBe(0)
    const lines = r.out.trim().split('\n')
    expect(lines.every((l) => /#\d+ +idp:okta +(GET|POST|PATCH) /.test(l))).toBe(true)
    expect(r.out).not.toContain('scimc-run1-a@acme.com')
    expect(r.out).not.toContain('nobody%40acme.com')
    expect(r.err).toMatch(
      /3 test-traffic events \(harness runs, replays\) not shown: add --include-test-traffic/,
    )
  })

  it('tail --include-test-traffic shows them with their source; --json carries source and runId', async () => {
    const r = await run(['log', 'tail', ...target(), '--include-test-traffic', '--once'])
    expect(r.out).toMatch(/#\d+ +harness +POST +\/Users +201 .*scimc-run1-a@acme.com/)
    expect(r.out).toMatch(/#\d+ +harness +POST +\/Users +409 /)
    expect(r.out).toMatch(/#\d+ +replay +GET +\/Users\?filter=.*nobody/)
    expect(r.err).not.toMatch(/not shown/)
    const json = await run(['log', 'tail', ...target(), '--source', 'harness', '--json', '--once'])
    const events = json.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    expect(events.map((e) => [e.source, e.runId, e.status])).toEqual([
      ['harness', 'run1', 201],
      ['harness', 'run1', 409],
    ])
  })

  it('export --source replay,Harness picks those sources (any case); the default hides them', async () => {
    const picked = await run([
      'log',
      'export',
      ...target(),
      '--format',
      'csv',
      '--source',
      'replay,Harness',
    ])
    expect(picked.code).toBe(0)
    const rows = picked.out.trim().split('\r\n')
    // The last columns are source, sourceIdp, runId (an error cell before them may hold commas).
    expect(rows[0]!.split(',').slice(-3)).toEqual(['source', 'sourceIdp', 'runId'])
    expect(rows.slice(1).map((row) => row.split(',').at(-3))).toEqual([
      'harness',
      'harness',
      'replay',
    ])
    const byDefault = await run(['log', 'export', ...target(), '--format', 'jsonl'])
    const sources = byDefault.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l).source)
    expect(new Set(sources)).toEqual(new Set(['idp']))
    expect(byDefault.err).toMatch(/3 test-traffic events .* not shown: add --include-test-traffic/)
    const all = await run([
      'log',
      'export',
      ...target(),
      '--format',
      'jsonl',
      '--include-test-traffic',
    ])
    expect(all.out.trim().split('\n')).toHaveLength(sources.length + 3)
  })

  it('a bad --source, or --source with --include-test-traffic, is a usage error naming the values', async () => {
    const bad = await run(['log', 'tail', ...target(), '--source', 'idp,okta', '--once'])
    expect(bad.code).toBe(2)
    expect(bad.err).toMatch(
      /--source takes idp, harness, replay, other, unknown \(comma-separated\), not "okta"/,
    )
    expect(bad.out).toBe('')
    const both = await run([
      'log',
      'export',
      ...target(),
      '--format',
      'csv',
      '--source',
      'idp',
      '--include-test-traffic',
    ])
    expect(both.code).toBe(2)
    expect(both.err).toMatch(/--source and --include-test-traffic cannot be combined/)
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
