import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { httpRequest } from '../test/support/backend-process.ts'
import { fileHaystacks, filesUnder, findLeaks } from '../test/support/secret-leak-search.ts'
import type { Needle } from '../test/support/secret-leak-search.ts'
import { DATABASE_FILE } from './db.ts'
import { startServer } from './server.ts'
import type { RunningServer } from './server.ts'

const ADMIN_KEY = 'scimc_admin_secrets-at-rest-admin-key'
const TOKEN = 'scimc_scim_secrets-at-rest-demo-token'
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User'
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp'

/** Each secret is sent once, in one shape, and must be found nowhere afterwards. */
const secrets = {
  validBody: 'Valid-Body-Pa55word-7f3a',
  patchValue: 'Patch-Value-Pa55word-91c2',
  malformed: 'Malformed-Body-Pa55word-0d4e',
  tooDeep: 'Too-Deep-Body-Pa55word-5b8f',
  tooLarge: 'Too-Large-Body-Pa55word-c6a1',
  queryToken: 'Query-Access-Token-e2d9b7',
  unknownBearer: 'Unknown-Bearer-Token-4f1c9a8e',
  prefixedInBody: 'scimc_scim_pasted-into-a-display-name-55aa',
  demoToken: TOKEN,
  adminKey: ADMIN_KEY,
}

let dataDir: string
let server: RunningServer

beforeAll(async () => {
  dataDir = join(mkdtempSync(join(tmpdir(), 'scim-secrets-')), 'data')
  server = await startServer({
    port: 0,
    dataDir,
    adminKey: ADMIN_KEY,
    demoToken: TOKEN,
    bodyLimitBytes: 64 * 1024,
  })
})
afterAll(async () => {
  await server.close()
  rmSync(join(dataDir, '..'), { recursive: true, force: true })
})

function scim(path: string, opts: Parameters<typeof httpRequest>[1] = {}) {
  return httpRequest(`${server.scimBaseUrl}${path}`, { token: TOKEN, ...opts })
}

async function sendEveryShape(): Promise<number[]> {
  const statuses: number[] = []
  const created = await scim('/Users', {
    method: 'POST',
    body: { schemas: [USER], userName: 'leak@test', password: secrets.validBody },
  })
  statuses.push(created.status)
  const id = (created.json() as { id: string }).id
  statuses.push(
    (
      await scim(`/Users/${id}`, {
        method: 'PATCH',
        body: {
          schemas: [PATCH],
          Operations: [
            { op: 'replace', path: 'password', value: secrets.patchValue },
            { op: 'replace', path: 'displayName', value: 'Leak Test' },
          ],
        },
      })
    ).status,
  )
  statuses.push(
    (
      await scim('/Users', {
        method: 'POST',
        body: `{"schemas":["${USER}"],"userName":"x","note":"${secrets.prefixedInBody}","password":"${secrets.malformed}",`,
      })
    ).status,
  )
  let deep = `{"password":"${secrets.tooDeep}"}`
  for (let i = 0; i < 80; i++) deep = `{"a":${deep}}`
  statuses.push((await scim('/Users', { method: 'POST', body: deep })).status)
  statuses.push(
    (
      await scim('/Users', {
        method: 'POST',
        body: JSON.stringify({
          userName: 'big',
          password: secrets.tooLarge,
          pad: 'x'.repeat(70_000),
        }),
      })
    ).status,
  )
  statuses.push(
    (await scim(`/Users?access_token=${secrets.queryToken}&filter=userName%20eq%20%22a%22`)).status,
  )
  statuses.push(
    (
      await httpRequest(`${server.scimBaseUrl}/Users`, {
        headers: {
          Authorization: `Bearer ${secrets.unknownBearer}`,
          'X-Api-Key': secrets.adminKey,
        },
      })
    ).status,
  )
  return statuses
}

function needles(): Needle[] {
  return Object.entries(secrets).flatMap(([name, value]): Needle[] => [
    [name, Buffer.from(value, 'utf8')],
    [`${name} (UTF-16)`, Buffer.from(value, 'utf16le')],
  ])
}

describe('nothing secret at rest (issue #12, server side)', () => {
  it('secrets sent in every shape the backend receives reach neither the data folder (WAL included) nor the event API', async () => {
    expect(await sendEveryShape()).toEqual([201, 200, 400, 400, 413, 200, 401])
    // While running: the recent writes sit in the WAL.
    const wal = filesUnder(dataDir).find((f) => f.endsWith('-wal'))
    expect(wal && statSync(wal).size).toBeGreaterThan(0)
    expect(findLeaks(fileHaystacks(dataDir), needles())).toEqual([])
    const events = await httpRequest(
      `${server.adminBaseUrl}/tenants/${server.demoTenantId}/events?limit=500`,
      { token: ADMIN_KEY },
    )
    expect(events.status).toBe(200)
    expect(findLeaks([['event API', Buffer.from(events.text)]], needles())).toEqual([])
    // The bodies are there, redacted, not dropped: the log still shows what was sent.
    const bodies = (events.json() as { items: { requestBody: unknown }[] }).items
      .map((e) => JSON.stringify(e.requestBody))
      .join('\n')
    expect(bodies).toContain('[REDACTED]')
    expect(bodies).toContain('leak@test')
  })

  it('the data folder is 0700 and its files 0600', () => {
    expect(statSync(dataDir).mode & 0o777).toBe(0o700)
    const files = filesUnder(dataDir)
    expect(files.map((f) => f.slice(dataDir.length + 1)).sort()).toEqual(
      [DATABASE_FILE, `${DATABASE_FILE}-shm`, `${DATABASE_FILE}-wal`].sort(),
    )
    for (const f of files) expect([f, statSync(f).mode & 0o777]).toEqual([f, 0o600])
  })
})
