import { execFileSync } from 'node:child_process'
import { mkdtempSync, openSync, rmSync, rmdirSync, writeSync, closeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { StatementSync } from 'node:sqlite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { httpRequest } from '../test/support/backend-process.ts'
import { startServer } from './server.ts'
import type { RunningServer } from './server.ts'

/**
 * A real small filesystem: a 4 MB tmpfs mounted for this file (needs root and mount rights, which
 * CI's container has). Filling it is a real full disk; remounting it read-only is a real
 * unwritable data folder. Where mounting is not possible the tests say so and do not run.
 */
const TOKEN = 'scimc_scim_storage-failure-test-token'
const mountPoint = mkdtempSync(join(tmpdir(), 'scim-small-fs-'))
let mountError: string | undefined
try {
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', mountPoint], { stdio: 'pipe' })
} catch (err) {
  mountError = String((err as { stderr?: Buffer }).stderr ?? err).trim()
  console.warn(
    `storage-failure tests not run: cannot mount a small tmpfs here (${mountError}). They need root with mount rights.`,
  )
}

let server: RunningServer
const logs: Record<string, unknown>[] = []
const filler = join(mountPoint, 'filler')

beforeAll(async () => {
  if (mountError) return
  server = await startServer({
    port: 0,
    dataDir: join(mountPoint, 'data'),
    adminKey: 'scimc_admin_storage-failure-test-key',
    demoToken: TOKEN,
    log: (e) => logs.push(e),
  })
})

afterAll(async () => {
  if (!mountError) {
    await server?.close()
    execFileSync('umount', [mountPoint])
  }
  rmdirSync(mountPoint)
})

function create(userName: string) {
  return httpRequest(`${server.scimBaseUrl}/Users`, {
    method: 'POST',
    token: TOKEN,
    body: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName },
  })
}

async function exists(userName: string): Promise<boolean> {
  const r = await httpRequest(
    `${server.scimBaseUrl}/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}`,
    { token: TOKEN },
  )
  return (r.json() as { totalResults: number }).totalResults === 1
}

/** Creates users until one is refused; returns the accepted and the refused one. */
async function createUntilRefused(prefix: string) {
  const accepted: string[] = []
  for (let i = 0; i < 200; i++) {
    const userName = `${prefix}${i}@disk.test`
    const r = await create(userName)
    if (r.status === 201) accepted.push(userName)
    else return { accepted, refused: userName, reply: r }
  }
  throw new Error('no request was refused')
}

function fillDisk(): void {
  const fd = openSync(filler, 'w')
  const block = Buffer.alloc(64 * 1024, 1)
  try {
    for (;;) writeSync(fd, block)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err
  } finally {
    closeSync(fd)
  }
}

describe.skipIf(mountError !== undefined)(
  'disk trouble is named, not swallowed (real 4 MB tmpfs)',
  () => {
    it('a full disk: writes get a SCIM 503 with Retry-After and a log line naming the cause; nothing refused is stored; writes work again once space returns', async () => {
      expect((await create('before@disk.test')).status).toBe(201)
      fillDisk()
      const { accepted, refused, reply } = await createUntilRefused('full')
      expect(reply.status).toBe(503)
      expect(reply.headers['retry-after']).toBe('30')
      const body = reply.json() as { schemas: string[]; status: string; detail: string }
      expect(body.schemas).toEqual(['urn:ietf:params:scim:api:messages:2.0:Error'])
      expect(body.status).toBe('503')
      expect(body.detail).toMatch(/disk holding the data folder is full/)
      expect(
        logs.some((l) =>
          /storage failure.*disk holding the data folder is full/.test(String(l.msg)),
        ),
      ).toBe(true)

      rmSync(filler)
      expect((await create('after@disk.test')).status).toBe(201)
      expect(await exists(refused)).toBe(false)
      for (const u of accepted) expect(await exists(u)).toBe(true)
      expect(await exists('after@disk.test')).toBe(true)
      // The event log has exactly the answered requests: no event for the refused one.
      const events = await httpRequest(
        `${server.adminBaseUrl}/tenants/${server.demoTenantId}/events?limit=500&outcome=created`,
        { token: 'scimc_admin_storage-failure-test-key' },
      )
      const names = (events.json() as { items: { userName: string }[] }).items.map(
        (e) => e.userName,
      )
      expect(names).not.toContain(refused)
      expect(names.sort()).toEqual(['before@disk.test', ...accepted, 'after@disk.test'].sort())
    })

    it('a data folder turned read-only mid-run (fault injection: COMMIT raises SQLITE_READONLY, because Linux refuses to remount a tmpfs read-only while the database has it open): 503 naming the cause, then recovery', async () => {
      expect((await create('ro-before@disk.test')).status).toBe(201)
      const run = StatementSync.prototype.run
      StatementSync.prototype.run = function (this: StatementSync, ...args: unknown[]) {
        if (this.sourceSQL === 'COMMIT') {
          throw Object.assign(new Error('attempt to write a readonly database'), {
            code: 'ERR_SQLITE_ERROR',
            errcode: 8,
            errstr: 'attempt to write a readonly database',
          })
        }
        return (run as (...a: unknown[]) => ReturnType<typeof run>).apply(this, args)
      } as typeof run
      let reply
      try {
        reply = await create('ro-during@disk.test')
      } finally {
        StatementSync.prototype.run = run
      }
      expect(reply.status).toBe(503)
      expect(reply.headers['retry-after']).toBe('30')
      expect((reply.json() as { detail: string }).detail).toMatch(/the data folder is read-only/)
      expect(logs.some((l) => /storage failure.*read-only/.test(String(l.msg)))).toBe(true)
      expect((await create('ro-after@disk.test')).status).toBe(201)
      expect(await exists('ro-during@disk.test')).toBe(false)
      expect(await exists('ro-after@disk.test')).toBe(true)
    })
  },
)
