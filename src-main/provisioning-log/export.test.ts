import { describe, expect, it } from 'vitest'
import type { ProvisioningEvent } from '../../src-shared/provisioning-event.ts'
import { registerSecret } from '../../src-shared/redact.ts'
import { curlCommand, exportEvents } from './export.ts'

const TOKEN = 'scimc_scim_S3cr3tT0kenValue1234567'
registerSecret(TOKEN)

function ev(seq: number, over: Partial<ProvisioningEvent> = {}): ProvisioningEvent {
  return {
    seq,
    tenantId: 't1',
    time: '2026-01-01T00:00:00.000Z',
    method: 'POST',
    path: '/Users',
    status: 409,
    durationMs: 12.5,
    resourceType: 'User',
    resourceId: null,
    userName: 'jane@acme.com',
    outcome: 'rejected',
    error: {
      status: '409',
      scimType: 'uniqueness',
      detail: 'A user with userName "jane@acme.com", already exists',
    },
    tokenHashPrefix: 'abcd1234',
    // A body as a careless backend might keep it: a password and the token in free text.
    requestBody: { userName: 'jane@acme.com', password: '1mz050nq', note: `token ${TOKEN}` },
    responseBody: { status: '409', detail: 'exists' },
    ...over,
  }
}

describe('export', () => {
  it('JSON lines: one redacted event per line', () => {
    const out = exportEvents([ev(1), ev(2)], 'jsonl')
    const lines = out.trim().split('\n')
    expect(lines.map((l) => JSON.parse(l).seq)).toEqual([1, 2])
    expect(out).not.toContain('1mz050nq')
    expect(out).not.toContain(TOKEN)
    expect(JSON.parse(lines[0]!).requestBody.password).toBe('[REDACTED]')
  })

  it('CSV: a header, quoted cells, and a formula-looking cell kept as text', () => {
    const out = exportEvents(
      [
        ev(1),
        ev(2, { path: '=HYPERLINK("http://evil")', error: null, status: 200, outcome: 'read' }),
      ],
      'csv',
    )
    const rows = out.trim().split('\r\n')
    expect(rows[0]).toBe(
      'seq,time,method,path,status,durationMs,resourceType,resourceId,userName,outcome,error,source,sourceIdp,runId',
    )
    expect(rows[1]).toContain(
      '"uniqueness: A user with userName ""jane@acme.com"", already exists"',
    )
    expect(rows[2]).toContain(`"'=HYPERLINK(""http://evil"")"`)
  })

  it('HAR 1.2: absolute URLs, query strings, bodies and timings, with the Authorization header redacted', () => {
    const har = JSON.parse(
      exportEvents(
        [
          ev(1),
          ev(2, {
            method: 'GET',
            path: '/Users?filter=userName%20eq%20%22jane%40acme.com%22',
            status: 200,
            requestBody: null,
            outcome: 'lookup_empty',
          }),
        ],
        'har',
        {
          scimBaseUrl: 'https://acme.example.com/scim/v2',
        },
      ),
    )
    expect(har.log.version).toBe('1.2')
    const [post, get] = har.log.entries
    expect(post.request.url).toBe('https://acme.example.com/scim/v2/Users')
    expect(post.request.postData.text).not.toContain('1mz050nq')
    expect(post.response.status).toBe(409)
    expect(post.time).toBe(12.5)
    expect(get.request.queryString).toEqual([
      { name: 'filter', value: 'userName eq "jane@acme.com"' },
    ])
    expect(get.request.headers).toEqual([{ name: 'Authorization', value: 'Bearer [REDACTED]' }])
    expect(JSON.stringify(har)).not.toContain(TOKEN)
  })

  it('copy as curl: runnable, the token read from $SCIM_TOKEN, secrets redacted', () => {
    const cmd = curlCommand(ev(1), { scimBaseUrl: 'https://acme.example.com/scim/v2' })
    expect(cmd).toContain(`curl -X POST 'https://acme.example.com/scim/v2/Users'`)
    expect(cmd).toContain('-H "Authorization: Bearer $SCIM_TOKEN"')
    expect(cmd).toContain(`--data-raw '{"userName":"jane@acme.com","password":"[REDACTED]"`)
    expect(cmd).not.toContain(TOKEN)
    const withQuote = curlCommand(ev(2, { requestBody: { displayName: "O'Brien" } }))
    expect(withQuote).toContain(`'{"displayName":"O'\\''Brien"}'`)
    expect(
      curlCommand(ev(3, { method: 'GET', path: '/Users/abc', requestBody: null })),
    ).not.toContain('--data-raw')
  })
})
