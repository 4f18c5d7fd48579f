import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { replayResultSchema } from '../../src-shared/harness.ts'
import { main } from '../cli/main.ts'
import { captureIo } from '../../test/support/cli-test-io.ts'
import { replayUser } from './replay-user.ts'
import { withFaultProxy } from '../../test/support/fault-proxy.ts'
import {
  startMemoryScimServer,
  type MemoryScimServer,
} from '../../test/support/memory-scim-server.ts'

let server: MemoryScimServer
beforeEach(async () => {
  server = await startMemoryScimServer()
})
afterEach(async () => {
  await server.close()
})

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'

describe('replayUser', () => {
  it("creates a new user with Okta's sequence, pushes the groups and verifies each step", async () => {
    const result = await replayUser({
      baseUrl: server.baseUrl,
      token: server.token,
      user: { userName: 'jane.doe@acme.test', department: 'Sales', groups: ['Sales', 'Everyone'] },
    })
    expect(result.outcome).toBe('completed')
    expect(replayResultSchema.safeParse(result).success).toBe(true)
    expect(result.steps.map((s) => s.title)).toEqual([
      'Look up the user by userName',
      'Create the user',
      'Read the user back',
      'Find group "Sales"',
      'Create group "Sales"',
      'Add jane.doe@acme.test to "Sales"',
      'Check membership of "Sales"',
      'Find group "Everyone"',
      'Create group "Everyone"',
      'Add jane.doe@acme.test to "Everyone"',
      'Check membership of "Everyone"',
    ])
    const user = server.users.get(result.userId!)!
    expect(user.userName).toBe('jane.doe@acme.test')
    expect((user[ENTERPRISE] as { department: string }).department).toBe('Sales')
    expect(
      [...server.groups.values()].every(
        (g) => (g.members as Array<{ value: string }>)[0]!.value === result.userId,
      ),
    ).toBe(true)
    // Okta's placeholder password went out, redacted in the capture.
    expect(result.exchanges[1]!.request.body).toContain('"password":"[REDACTED]"')
  })

  it('updates an existing user: Okta with GET then PUT, Entra with PATCH', async () => {
    const first = await replayUser({
      baseUrl: server.baseUrl,
      token: server.token,
      user: { userName: 'sam@acme.test' },
    })
    const okta = await replayUser({
      baseUrl: server.baseUrl,
      token: server.token,
      user: { userName: 'sam@acme.test', familyName: 'Changed' },
    })
    expect(okta.outcome).toBe('completed')
    expect(okta.steps.map((s) => s.request.split(' ')[0])).toEqual(['GET', 'GET', 'PUT', 'GET'])
    expect(okta.userId).toBe(first.userId)
    const entra = await replayUser({
      baseUrl: server.baseUrl,
      token: server.token,
      profile: 'entra',
      user: { userName: 'sam@acme.test', familyName: 'Again' },
    })
    expect(entra.outcome).toBe('completed')
    expect(entra.steps.map((s) => s.request.split(' ')[0])).toEqual(['GET', 'PATCH', 'GET'])
    expect((server.users.get(first.userId!)!.name as { familyName: string }).familyName).toBe(
      'Again',
    )
    expect(server.users.size).toBe(1)
  })

  it('stops at the first divergence: a case-sensitive lookup misses the user and the create gets 409', async () => {
    await replayUser({
      baseUrl: server.baseUrl,
      token: server.token,
      user: { userName: 'pat@acme.test' },
    })
    await withFaultProxy(
      {
        target: server.baseUrl,
        token: server.token,
        fault: 'filter-case-sensitive',
      },
      async (proxy) => {
        const result = await replayUser({
          baseUrl: proxy.baseUrl,
          token: server.token,
          user: { userName: 'Pat@acme.test', groups: ['X'] },
        })
        expect(result.outcome).toBe('diverged')
        expect(result.steps).toHaveLength(2)
        const last = result.steps[1]!
        expect(last).toMatchObject({ title: 'Create the user', ok: false, status: 409 })
        expect(last.idpImpact).toMatch(/retries forever/)
        expect(last.fix).toMatch(/case-insensitively/)
        expect(proxy.requests.filter((r) => r.path.includes('/Groups'))).toEqual([])
      },
    )
  })

  it('the CLI shows each step and exits 1 at a divergence, 0 when all went well', async () => {
    const ok = captureIo({ SCIM_TOKEN: server.token })
    expect(
      await main(
        ['replay-user', '--url', server.baseUrl, '--user-name', 'lee@acme.test', '--group', 'Ops'],
        ok.io,
      ),
    ).toBe(0)
    expect(ok.out()).toMatch(
      / 1\. ok {3}Look up the user by userName\n {4}GET http:.*filter=userName%20eq%20%22lee%40acme\.test%22&startIndex=1&count=100 → 200/,
    )
    expect(ok.out()).toMatch(/is provisioned/)
    await withFaultProxy(
      {
        target: server.baseUrl,
        token: server.token,
        fault: 'no-match-404',
      },
      async (proxy) => {
        const bad = captureIo({ SCIM_TOKEN: server.token })
        expect(
          await main(
            [
              'replay-user',
              '--url',
              proxy.baseUrl,
              '--user-name',
              'kim@acme.test',
              '--profile',
              'entra',
            ],
            bad.io,
          ),
        ).toBe(1)
        expect(bad.out()).toMatch(/DIVERGES Look up the user by userName/)
        expect(bad.out()).toMatch(/Stopped at step 1/)
      },
    )
    const usage = captureIo({ SCIM_TOKEN: server.token })
    expect(await main(['replay-user', '--url', server.baseUrl], usage.io)).toBe(2)
    expect(usage.err()).toMatch(/--user-name is required/)
  })
})
