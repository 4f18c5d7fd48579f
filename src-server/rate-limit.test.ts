import { afterEach, describe, expect, it } from 'vitest'
import { startTestServer, TEST_TOKEN, type TestServer } from '../test/support/test-server.ts'
import { clientKey, parseRateLimit, RateLimiter, type RateOption } from './rate-limit.ts'
import { ERROR_SCHEMA } from './scim/scim-error.ts'
import { sha256Hex } from './store/hash.ts'

describe('parseRateLimit', () => {
  it.each([
    ['25/s', { rate: 25, burst: 25 }],
    ['0.5', { rate: 0.5, burst: 1 }],
    [' 100 / second ', { rate: 100, burst: 100 }],
    ['off', undefined],
    ['OFF', undefined],
  ])('reads %j', (text, expected) => {
    expect(parseRateLimit(text)).toEqual(expected)
  })

  it.each(['fast', '0', '-3/s', '25/min', '', '1e9'])(
    'refuses %j naming the option and the fix',
    (text) => {
      expect(() => parseRateLimit(text, '--unauth-rate-limit')).toThrow(
        /--unauth-rate-limit ".*" is not a rate\. Use requests per second, e\.g\. --unauth-rate-limit 25\/s, or --unauth-rate-limit off\./,
      )
    },
  )
})

describe('RateLimiter (clock passed in)', () => {
  it('lets a burst through, then answers an integer Retry-After, and refills with time', () => {
    const limiter = new RateLimiter({ rate: 2, burst: 5 })
    const t0 = 1_000_000
    for (let i = 0; i < 5; i++) expect(limiter.take('a', t0).ok).toBe(true)
    const refused = limiter.take('a', t0)
    expect(refused).toEqual({ ok: false, retryAfterSeconds: 1 })
    expect(limiter.take('a', t0 + 500).ok).toBe(true)
    expect(limiter.take('a', t0 + 500).ok).toBe(false)
  })

  it('keeps keys apart: one empty bucket does not touch another', () => {
    const limiter = new RateLimiter({ rate: 1, burst: 2 })
    limiter.take('a', 0)
    limiter.take('a', 0)
    expect(limiter.take('a', 0).ok).toBe(false)
    expect(limiter.take('b', 0).ok).toBe(true)
  })

  it('rounds a long wait up to whole seconds', () => {
    const limiter = new RateLimiter({ rate: 0.1, burst: 1 })
    limiter.take('a', 0)
    expect(limiter.take('a', 0)).toEqual({ ok: false, retryAfterSeconds: 10 })
  })

  it('stays bounded under a flood of distinct keys', () => {
    const limiter = new RateLimiter({ rate: 1, burst: 5 })
    for (let i = 0; i < 50_000; i++) limiter.take(`10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`, 0)
    expect(limiter.size).toBeLessThanOrEqual(10_000)
  })
})

describe('clientKey', () => {
  it.each([
    ['203.0.113.9', '203.0.113.9'],
    ['::ffff:203.0.113.9', '203.0.113.9'],
    ['2001:db8:1:2:aaaa::1', '2001:db8:1:2::/64'],
    ['2001:db8:1:2:bbbb::9', '2001:db8:1:2::/64'],
    [undefined, 'unknown'],
    ['not an address', 'unknown'],
  ])('%s -> %s', (address, key) => {
    expect(clientKey(address)).toBe(key)
  })
})

describe('the reference backend behind its limits (real server on 127.0.0.1)', () => {
  let t: TestServer | undefined
  afterEach(async () => {
    await t?.stop()
    t = undefined
  })

  async function start(rateLimit: RateOption, unauthRateLimit: RateOption): Promise<TestServer> {
    t = await startTestServer({ rateLimit, unauthRateLimit })
    return t
  }

  it('throttles a flood of unauthenticated requests per address with 429, Retry-After and a SCIM error', async () => {
    const s = await start('off', { rate: 0.01, burst: 5 })
    const hostile = `/Users?q=${'a.'.repeat(7000)}`
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => s.scim(hostile, { token: null })),
    )
    const statuses = answers.map((a) => a.status)
    expect(statuses.filter((x) => x === 401)).toHaveLength(5)
    expect(statuses.filter((x) => x === 429)).toHaveLength(15)
    const throttled = answers.find((a) => a.status === 429)!
    expect(throttled.headers.get('retry-after')).toMatch(/^\d+$/)
    expect(throttled.headers.get('content-type')).toMatch(/application\/scim\+json/)
    expect(throttled.body).toMatchObject({ schemas: [ERROR_SCHEMA], status: '429' })
    expect(throttled.body.detail).toMatch(/without a valid SCIM token.*Bearer/)
    // Wrong tokens count too; the tenant's own token from the same address is not held back.
    expect((await s.scim('/Users', { token: 'not-a-registered-token-0000' })).status).toBe(429)
    expect((await s.scim('/Users?count=1')).status).toBe(200)
  })

  it('throttles a tenant with 429 + Retry-After, recorded in its provisioning log', async () => {
    const s = await start({ rate: 0.01, burst: 3 }, 'off')
    const statuses: number[] = []
    for (let i = 0; i < 5; i++) statuses.push((await s.scim('/Users?count=1')).status)
    expect(statuses).toEqual([200, 200, 200, 429, 429])
    const events = await s.admin(`/tenants/${s.server.demoTenantId}/events?limit=10`)
    expect(
      (events.body.items as Array<{ status: number }>).filter((e) => e.status === 429),
    ).toHaveLength(2)
  })

  /**
   * Tenant A keeps 20 requests in flight while tenant B sends 10 requests one after another.
   * Counted, not timed: how many of A's requests the server did real work for (a non-429
   * answer) while B was waiting. Without a limit that is every one of A's requests; with one,
   * at most A's burst plus what refills during the test (a rate of 0.01/s refills nothing).
   */
  async function isolation(rateLimit: RateOption) {
    const s = await start(rateLimit, 'off')
    const tenantB = await s.admin('/tenants', { method: 'POST', body: { name: 'Tenant B' } })
    const tokenB = 'tenant-b-token-0123456789abcdef'
    await s.admin(`/tenants/${tenantB.body.id}/scim/tokens`, {
      method: 'POST',
      body: { label: 'b', sha256: sha256Hex(tokenB) },
    })
    let bWaiting = false
    let aServedWhileBWaited = 0
    let aThrottled = 0
    let stop = false
    const flood = async (worker: number) => {
      for (let i = 0; !stop; i++) {
        const r = await s.scim('/Users', {
          method: 'POST',
          body: {
            schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
            userName: `flood-${worker}-${i}@a.example`,
          },
        })
        if (r.status === 429) aThrottled++
        else if (bWaiting) aServedWhileBWaited++
      }
    }
    const workers = Array.from({ length: 20 }, (_, w) => flood(w))
    // Let A's flood use up its burst first.
    while (rateLimit !== 'off' && aThrottled < 20) await new Promise((ok) => setImmediate(ok))
    const bStatuses: number[] = []
    for (let i = 0; i < 10; i++) {
      bWaiting = true
      bStatuses.push((await s.scim('/Users?count=1', { token: tokenB })).status)
      bWaiting = false
    }
    stop = true
    await Promise.all(workers)
    return { bStatuses, aServedWhileBWaited, aThrottled }
  }

  it("one tenant's flood gets 429s and does not hold back another tenant's requests", async () => {
    const limited = await isolation({ rate: 0.01, burst: 10 })
    expect(limited.bStatuses).toEqual(Array(10).fill(200))
    expect(limited.aThrottled).toBeGreaterThan(0)
    expect(limited.aServedWhileBWaited).toBeLessThanOrEqual(1)
  })

  it('control: without a limit the same flood is served in full while the other tenant waits', async () => {
    const open = await isolation('off')
    expect(open.bStatuses).toEqual(Array(10).fill(200))
    expect(open.aThrottled).toBe(0)
    expect(open.aServedWhileBWaited).toBeGreaterThan(10)
  })

  it('uses generous defaults: 300 quick requests of one tenant and 20 unauthenticated ones pass', async () => {
    const s = await startTestServer()
    t = s
    for (let i = 0; i < 300; i++) expect((await s.scim('/Users?count=1')).status).toBe(200)
    for (let i = 0; i < 20; i++) expect((await s.scim('/Users', { token: null })).status).toBe(401)
    expect(TEST_TOKEN).toBeTruthy()
  })
})
