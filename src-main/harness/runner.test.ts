import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { AppError } from '../../src-shared/errors.ts'
import { harnessProgressEventSchema, type HarnessProgressEvent } from '../../src-shared/harness.ts'
import { runHarness } from './runner.ts'
import { startFaultProxy, withFaultProxy, type FaultProxy } from '../../test/support/fault-proxy.ts'
import {
  startMemoryScimServer,
  type MemoryScimServer,
} from '../../test/support/memory-scim-server.ts'

let server: MemoryScimServer
let proxy: FaultProxy
let existingId: string
let existingBefore: string

async function seedExistingUser(s: MemoryScimServer): Promise<string> {
  const res = await fetch(`${s.baseUrl}/Users`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${s.token}`, 'Content-Type': 'application/scim+json' },
    body: JSON.stringify({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: 'existing.person@acme.test',
      name: { givenName: 'Existing', familyName: 'Person' },
      emails: [{ value: 'existing.person@acme.test', type: 'work', primary: true }],
      externalId: 'ext-existing',
      active: true,
    }),
  })
  return ((await res.json()) as { id: string }).id
}

beforeEach(async () => {
  server = await startMemoryScimServer()
  existingId = await seedExistingUser(server)
  existingBefore = JSON.stringify(server.users.get(existingId))
  proxy = await startFaultProxy({ target: server.baseUrl, token: server.token })
})
afterEach(async () => {
  await proxy.close()
  await server.close()
})

const writePaths = (p: FaultProxy) => p.requests.filter((r) => r.method !== 'GET')

describe('safety: read-only mode and cleanup (recording proxy in front of the server)', () => {
  it('read-only sends GET requests only, in every profile', async () => {
    for (const profile of ['okta', 'entra', 'rfc'] as const) {
      const report = await runHarness({
        baseUrl: proxy.baseUrl,
        token: server.token,
        profile,
        readOnly: true,
      })
      expect(report.outcome).toBe('passed')
      // It did real work: the read checks ran against the existing user.
      expect(report.checks.find((c) => c.id === 'filters.user_name_case_insensitive')!.status).toBe(
        'pass',
      )
    }
    expect(proxy.requests.length).toBeGreaterThan(30)
    expect(writePaths(proxy)).toEqual([])
    expect(server.users.size).toBe(1)
  })

  it('a full run removes everything it created and only ever writes to resources it created', async () => {
    const report = await runHarness({
      baseUrl: proxy.baseUrl,
      token: server.token,
      profile: 'okta',
    })
    expect(report.outcome).toBe('passed')
    expect(report.cleanup.leftovers).toEqual([])
    expect(report.cleanup.removed.length).toBeGreaterThan(10)
    expect([...server.users.keys()]).toEqual([existingId])
    expect(server.groups.size).toBe(0)
    expect(JSON.stringify(server.users.get(existingId))).toBe(existingBefore)

    const created = new Set(
      report.exchanges
        .filter((x) => x.request.method === 'POST' && x.response?.status === 201)
        .map((x) => (JSON.parse(x.response!.body) as { id: string }).id),
    )
    const targeted = writePaths(proxy)
      .filter((r) => r.method !== 'POST')
      .map((r) => decodeURIComponent(r.path.split('?')[0]!.split('/').pop()!))
    expect(targeted.length).toBeGreaterThan(10)
    for (const id of targeted)
      expect(created.has(id), `wrote to ${id}, which this run did not create`).toBe(true)
    // Everything it created carries the run prefix.
    const posts = report.exchanges.filter(
      (e) =>
        e.request.method === 'POST' &&
        e.checkId !== 'errors.malformed_json' &&
        /\/(Users|Groups)$/.test(e.request.url),
    )
    expect(posts.length).toBeGreaterThan(10)
    for (const x of posts) {
      const body = JSON.parse(x.request.body!) as { userName?: string; displayName?: string }
      expect(body.userName ?? body.displayName).toContain(report.runPrefix)
    }
  })

  it('cancelling halfway stops the run and still removes every created resource', async () => {
    // Latency keeps requests in flight when the cancel arrives.
    const slow = await startFaultProxy({
      target: server.baseUrl,
      token: server.token,
      latencyMs: 20,
    })
    const controller = new AbortController()
    let posts = 0
    const events: HarnessProgressEvent[] = []
    try {
      const report = await runHarness({
        baseUrl: slow.baseUrl,
        token: server.token,
        profile: 'okta',
        signal: controller.signal,
        onProgress: (e) => {
          events.push(e)
          if (e.type === 'exchange' && e.exchange.method === 'POST' && ++posts === 12)
            controller.abort()
        },
      })
      expect(report.outcome).toBe('cancelled')
      expect(report.checks.some((c) => c.status === 'skip' && /Cancelled/.test(c.message))).toBe(
        true,
      )
      expect(report.cleanup.removed.length).toBeGreaterThanOrEqual(10)
      expect(report.cleanup.leftovers).toEqual([])
      expect([...server.users.keys()]).toEqual([existingId])
      expect(server.groups.size).toBe(0)
      expect(events.at(-1)).toMatchObject({ type: 'run.finished', outcome: 'cancelled' })
    } finally {
      await slow.close()
    }
  })

  it('lists what it could not remove, with ids', async () => {
    await withFaultProxy(
      {
        target: server.baseUrl,
        token: server.token,
        fault: 'delete-refused',
      },
      async (refusing) => {
        const report = await runHarness({
          baseUrl: refusing.baseUrl,
          token: server.token,
          profile: 'okta',
          only: ['groups.create'],
        })
        expect(report.cleanup.leftovers).toHaveLength(1)
        expect(report.cleanup.leftovers[0]).toMatchObject({
          type: 'Groups',
          reason: 'DELETE answered 405.',
        })
        expect(report.cleanup.leftovers[0]!.id).toBe([...server.groups.keys()][0])
      },
    )
  })
})

describe('cleanup deletes only what carries the run prefix', () => {
  it('a create answered with someone else (no run prefix) is never deleted', async () => {
    await withFaultProxy(
      {
        target: server.baseUrl,
        token: server.token,
        fault: 'create-answers-foreign-user',
        state: { foreignId: existingId },
      },
      async (lying) => {
        const report = await runHarness({
          baseUrl: lying.baseUrl,
          token: server.token,
          profile: 'okta',
          only: ['users.create.status'],
        })
        expect(server.users.get(existingId)).toBeDefined()
        expect(lying.requests.filter((r) => r.method === 'DELETE')).toEqual([])
        expect(report.cleanup.leftovers).toEqual([
          expect.objectContaining({
            id: existingId,
            reason: expect.stringMatching(/^Not deleted: .*does not show the run prefix/),
          }),
        ])
      },
    )
  })

  it('ids from the server are encoded into paths, in the checks and in cleanup', async () => {
    await withFaultProxy(
      { target: server.baseUrl, token: server.token, fault: 'ids-need-encoding' },
      async (odd) => {
        const report = await runHarness({
          baseUrl: odd.baseUrl,
          token: server.token,
          profile: 'okta',
          only: ['users.get.by_id', 'users.put.replace', 'identity.rename_patch', 'groups.rename'],
        })
        expect(report.checks.map((c) => `${c.id} ${c.status}`)).toEqual([
          'users.get.by_id pass',
          'users.put.replace pass',
          'identity.rename_patch pass',
          'groups.rename pass',
        ])
        expect(odd.requests.some((r) => r.path.includes('%23a%2Fb'))).toBe(true)
        expect(report.cleanup.leftovers).toEqual([])
        expect([...server.users.keys()]).toEqual([existingId])
        expect(server.groups.size).toBe(0)
      },
    )
  })
})

describe('the import rehearsal', () => {
  it('cancelled while it creates its users, it still removes every one of them', async () => {
    const controller = new AbortController()
    let posts = 0
    const report = await runHarness({
      baseUrl: proxy.baseUrl,
      token: server.token,
      profile: 'okta',
      importSize: 60,
      signal: controller.signal,
      onProgress: (e) => {
        if (e.type === 'exchange' && e.exchange.method === 'POST' && ++posts === 30)
          controller.abort()
      },
    })
    expect(report.outcome).toBe('cancelled')
    expect(report.cleanup.removed.filter((r) => /-imp\d+-/.test(r.name)).length).toBeGreaterThan(10)
    expect(report.cleanup.leftovers).toEqual([])
    expect([...server.users.keys()]).toEqual([existingId])
    expect(server.groups.size).toBe(0)
  })

  it('in read-only mode pages existing data with GET only and judges its consistency', async () => {
    const report = await runHarness({
      baseUrl: proxy.baseUrl,
      token: server.token,
      profile: 'okta',
      readOnly: true,
      only: ['import.users', 'import.groups', 'import.items_per_page'],
    })
    expect(proxy.requests.every((r) => r.method === 'GET')).toBe(true)
    expect(report.checks.map((c) => c.status)).toEqual(['pass', 'pass', 'pass'])
    expect(report.checks[0]!.message).toMatch(/Paged 1 users/)
  })

  it('a full run creates more users than a 100-per-page import reads at once, and removes them', async () => {
    const report = await runHarness({
      baseUrl: proxy.baseUrl,
      token: server.token,
      profile: 'entra',
    })
    const posts = proxy.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/Users'))
    expect(posts.length).toBeGreaterThan(100)
    expect(report.checks.find((c) => c.id === 'import.users')!.message).toMatch(
      /in [2-9] page\(s\)/,
    )
    expect(report.cleanup.leftovers).toEqual([])
    expect([...server.users.keys()]).toEqual([existingId])
    expect(server.groups.size).toBe(0)
  })
})

describe('cleanup when the server does not really delete', () => {
  it('a user it cannot DELETE is deactivated and listed with its id', async () => {
    await withFaultProxy(
      {
        target: server.baseUrl,
        token: server.token,
        fault: 'delete-refused',
      },
      async (refusing) => {
        const report = await runHarness({
          baseUrl: refusing.baseUrl,
          token: server.token,
          only: ['users.create.status'],
        })
        expect(report.cleanup.leftovers).toHaveLength(1)
        const left = report.cleanup.leftovers[0]!
        expect(left.reason).toBe('DELETE answered 405. Deactivated it instead (active=false).')
        expect(server.users.get(left.id!)!.active).toBe(false)
      },
    )
  })

  it('a DELETE that answers 204 without deleting is caught by reading back, not reported as removed', async () => {
    await withFaultProxy(
      {
        target: server.baseUrl,
        token: server.token,
        fault: 'delete-noop',
      },
      async (noop) => {
        const report = await runHarness({
          baseUrl: noop.baseUrl,
          token: server.token,
          only: ['groups.create'],
        })
        expect(report.cleanup.removed).toEqual([])
        expect(report.cleanup.leftovers).toEqual([
          expect.objectContaining({
            type: 'Groups',
            id: [...server.groups.keys()][0],
            reason: 'DELETE answered 204 but GET still answers 200.',
          }),
        ])
      },
    )
  })
})

describe('progress events and classification', () => {
  it('streams zod-valid progress events from run.started to run.finished', async () => {
    const events: HarnessProgressEvent[] = []
    const report = await runHarness({
      baseUrl: server.baseUrl,
      token: server.token,
      profile: 'entra',
      onProgress: (e) => events.push(e),
    })
    for (const e of events) harnessProgressEventSchema.parse(e)
    expect(events[0]!.type).toBe('run.started')
    expect(events.at(-1)!.type).toBe('run.finished')
    const finished = events.filter((e) => e.type === 'check.finished')
    expect(finished).toHaveLength(report.checks.length)
    expect(finished.at(-1)).toMatchObject({
      done: report.checks.length,
      total: report.checks.length,
    })
    expect(events.filter((e) => e.type === 'exchange').length).toBe(report.exchanges.length)
  })

  it('classifies a web site that is not SCIM as could_not_run scim.not_scim with a hint', async () => {
    await withFaultProxy(
      {
        target: server.baseUrl,
        token: server.token,
        fault: 'html-site',
      },
      async (site) => {
        const report = await runHarness({ baseUrl: site.baseUrl, token: server.token })
        expect(report.outcome).toBe('could_not_run')
        expect(report.error?.code).toBe('scim.not_scim')
        expect(report.error?.hint).toMatch(/scim\/v2/)
        expect(site.requests).toHaveLength(1)
      },
    )
  })

  it('classifies a wrong base path (404 on /Users) as could_not_run, not as 40 failures', async () => {
    const report = await runHarness({
      baseUrl: server.baseUrl.replace('/scim/v2', '/scim'),
      token: server.token,
    })
    expect(report.outcome).toBe('could_not_run')
    expect(report.error?.message).toMatch(/no SCIM \/Users endpoint under this base URL/)
    expect(report.checks).toEqual([])
  })

  it('classifies an unreachable URL as could_not_run network.unreachable', async () => {
    const gone = await startMemoryScimServer()
    const url = gone.baseUrl
    await gone.close()
    const report = await runHarness({ baseUrl: url, token: 'whatever-token-123' })
    expect(report.outcome).toBe('could_not_run')
    expect(report.error?.code).toBe('network.unreachable')
  })

  it('with a rejected token runs the auth checks and skips the rest with the reason', async () => {
    const report = await runHarness({ baseUrl: server.baseUrl, token: 'not-the-token-1234' })
    expect(report.outcome).toBe('failed')
    expect(report.checks.find((c) => c.id === 'auth.token_accepted')!.status).toBe('fail')
    const users = report.checks.filter((c) => c.area === 'users' && c.severity !== 'skip')
    expect(users.every((c) => c.status === 'skip' && /token was rejected/.test(c.message))).toBe(
      true,
    )
    expect(server.users.size).toBe(1)
  })

  it('strips a pasted "Bearer " prefix and reports it as a hint', async () => {
    const report = await runHarness({
      baseUrl: server.baseUrl,
      token: `Bearer ${server.token}`,
      only: ['auth.token_accepted', 'users.list.shape'],
    })
    const auth = report.checks.find((c) => c.id === 'auth.token_accepted')!
    expect(auth.status).toBe('warn')
    expect(auth.fix).toMatch(/Okta adds the "Bearer " prefix/)
    expect(report.checks.find((c) => c.id === 'users.list.shape')!.status).toBe('pass')
  })

  it('refuses bad input with a clear error and sends nothing', async () => {
    await expect(runHarness({ baseUrl: 'ftp://x/scim', token: 't' })).rejects.toMatchObject({
      code: 'harness.bad_input',
    })
    await expect(runHarness({ baseUrl: 'not a url', token: 't' })).rejects.toBeInstanceOf(AppError)
    await expect(runHarness({ baseUrl: proxy.baseUrl, token: '   ' })).rejects.toMatchObject({
      code: 'harness.bad_input',
      message: expect.stringMatching(/token is empty/),
    })
    expect(proxy.requests).toEqual([])
  })
})
