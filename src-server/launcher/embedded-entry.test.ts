import { fork, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { AppError } from '../../src-shared/errors.ts'
import { startServer } from '../server.ts'
import { sha256Hex } from '../store/hash.ts'
import {
  connectToParent,
  serveEmbeddedBackend,
  startEmbeddedChild,
  type ChildHandle,
  type ChildMessage,
  type StartedChild,
} from './embedded-protocol.ts'

// The entry runs in its own process, as in the app. Electron's utilityProcess cannot run here, so
// the child is a plain Node `child_process.fork`: its IPC channel is the stand-in for
// process.parentPort that connectToParent picks up, and the protocol on top is the same.
const ENTRY = join(import.meta.dirname, 'embedded-entry.ts')
const ADMIN_KEY = 'admin_embedded-test-key-0123456789'

const dirs: string[] = []
function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'scim-embedded-'))
  dirs.push(dir)
  return dir
}
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })))

function forked(modulePath: string): {
  handle: ChildHandle
  child: ChildProcess
  stderr: () => string
} {
  const child = fork(modulePath, [], { execArgv: [], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] })
  let stderr = ''
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  const handle: ChildHandle = {
    get pid() {
      return child.pid
    },
    postMessage: (message) => void child.send(message),
    onMessage: (listener) => void child.on('message', listener),
    onExit: (listener) => void child.once('exit', (code) => listener(code)),
    kill: () => void child.kill('SIGKILL'),
  }
  return { handle, child, stderr: () => stderr }
}

function exitOf(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode)
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)))
}

async function startEntry(
  dataDir: string,
): Promise<{ backend: StartedChild; child: ChildProcess }> {
  const { handle, child } = forked(ENTRY)
  const backend = await startEmbeddedChild(handle, { dataDir, adminKey: ADMIN_KEY })
  return { backend, child }
}

describe('embedded backend entry in its own process', () => {
  it('serves SCIM and the admin API with the key it was sent, then stops cleanly', async () => {
    const dataDir = freshDir()
    const { backend, child } = await startEntry(dataDir)
    try {
      expect(backend.scimBaseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/scim\/v2$/)
      expect(backend.adminBaseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/admin\/v1$/)
      expect(backend.pid).toBe(child.pid)
      const admin = (path: string, init: RequestInit = {}) =>
        fetch(`${backend.adminBaseUrl}${path}`, {
          ...init,
          headers: {
            Authorization: `Bearer ${ADMIN_KEY}`,
            'Content-Type': 'application/json',
          },
        })
      expect((await fetch(`${backend.adminBaseUrl}/health`)).status).toBe(200)
      const tenants = (await (await admin('/tenants')).json()) as { items?: { id: string }[] }
      expect(JSON.stringify(tenants)).toContain(backend.tenantId)

      // A SCIM token registered by its hash, as the console does, then a real SCIM request.
      const token = 'scim-embedded-test-token-0123456789'
      const registered = await admin(`/tenants/${backend.tenantId}/scim/tokens`, {
        method: 'POST',
        body: JSON.stringify({ label: 'test', sha256: sha256Hex(token) }),
      })
      expect(registered.status).toBe(201)
      const users = await fetch(`${backend.scimBaseUrl}/Users?count=1`, {
        headers: { Authorization: `Bearer ${token}` },
      })
      expect(users.status).toBe(200)
      expect(((await users.json()) as { schemas: string[] }).schemas).toContain(
        'urn:ietf:params:scim:api:messages:2.0:ListResponse',
      )
    } finally {
      await backend.stop()
    }
    // Asked to stop, it closes the server and exits 0 instead of being killed.
    expect(await exitOf(child)).toBe(0)
    await expect(fetch(`${backend.scimBaseUrl}/Users`)).rejects.toThrow()
  })

  it('keeps its data in the folder it was given: a restart finds the same tenant', async () => {
    const dataDir = freshDir()
    const first = await startEntry(dataDir)
    await first.backend.stop()
    const second = await startEntry(dataDir)
    try {
      expect(second.backend.tenantId).toBe(first.backend.tenantId)
    } finally {
      await second.backend.stop()
    }
  })

  it.runIf(process.platform === 'linux')(
    'keeps the admin key out of the child’s command line and environment',
    async () => {
      const { backend, child } = await startEntry(freshDir())
      try {
        const cmdline = readFileSync(`/proc/${child.pid}/cmdline`, 'latin1')
        const environ = readFileSync(`/proc/${child.pid}/environ`, 'latin1')
        expect(cmdline).toContain('embedded-entry')
        expect(cmdline).not.toContain(ADMIN_KEY)
        expect(environ).not.toContain(ADMIN_KEY)
      } finally {
        await backend.stop()
      }
    },
  )

  it('rejects with backend.unavailable when the data folder is unusable, and ends the child', async () => {
    const notADir = join(freshDir(), 'a-file')
    writeFileSync(notADir, 'not a folder')
    const { handle, child } = forked(ENTRY)
    const err = await startEmbeddedChild(handle, { dataDir: notADir, adminKey: ADMIN_KEY }).catch(
      (e: unknown) => e,
    )
    expect(err).toBeInstanceOf(AppError)
    expect((err as AppError).code).toBe('backend.unavailable')
    expect((err as AppError).message).toMatch(/could not start/)
    expect((err as AppError).message).not.toContain(ADMIN_KEY)
    expect((err as AppError).hint).toContain(notADir)
    expect(await exitOf(child)).not.toBeNull()
  })

  it('refuses to run without a parent channel and says how to run the backend by hand', () => {
    const run = spawnSync(process.execPath, [ENTRY], { encoding: 'utf8', timeout: 30_000 })
    expect(run.status).toBe(2)
    expect(run.stderr).toContain('must be started by scim-console')
    expect(run.stderr).toContain('scim-console backend serve')
  })
})

describe('startEmbeddedChild against children that misbehave', () => {
  function script(name: string, body: string): string {
    const file = join(freshDir(), name)
    writeFileSync(file, body)
    return file
  }

  it('fails with the child’s stderr when it exits before it is ready', async () => {
    const { handle, stderr } = forked(
      script('crash.mjs', `process.stderr.write('boom: no sqlite here\\n'); process.exit(3)\n`),
    )
    const err = (await startEmbeddedChild(handle, {
      dataDir: freshDir(),
      adminKey: ADMIN_KEY,
      diagnostics: stderr,
    }).catch((e: unknown) => e)) as AppError
    expect(err.code).toBe('backend.unavailable')
    expect(err.message).toContain('exited (code 3)')
    expect(err.message).toContain('boom: no sqlite here')
  })

  it('gives up on a silent child and kills it when it also ignores stop (a fake hang)', async () => {
    const { handle, child } = forked(
      script('hang.mjs', `process.on('message', () => {}); setInterval(() => {}, 1e6)\n`),
    )
    const err = (await startEmbeddedChild(handle, {
      dataDir: freshDir(),
      adminKey: ADMIN_KEY,
      timeoutMs: 200,
      stopTimeoutMs: 100,
    }).catch((e: unknown) => e)) as AppError
    expect(err.code).toBe('backend.unavailable')
    expect(err.message).toContain('did not answer')
    await exitOf(child)
    expect(child.signalCode).toBe('SIGKILL')
  })

  it('reports a crash after start through onUnexpectedExit, not on a requested stop', async () => {
    const { handle, child } = forked(ENTRY)
    const exits: Array<number | null> = []
    const backend = await startEmbeddedChild(handle, {
      dataDir: freshDir(),
      adminKey: ADMIN_KEY,
      onUnexpectedExit: (code) => exits.push(code),
    })
    child.kill('SIGKILL')
    await exitOf(child)
    expect(exits).toEqual([null])
    await backend.stop()
    expect(exits).toEqual([null])
  })
})

describe('serveEmbeddedBackend message handling (in process, real server)', () => {
  function channelPair() {
    const sent: ChildMessage[] = []
    let deliver: (message: unknown) => void = () => {}
    let exitCode: number | undefined
    let exited: () => void = () => {}
    const exitedP = new Promise<void>((resolve) => (exited = resolve))
    return {
      sent,
      send: (message: unknown) => deliver(message),
      channel: {
        onMessage: (listener: (message: unknown) => void) => void (deliver = listener),
        postMessage: (message: ChildMessage) => void sent.push(message),
      },
      exit: (code: number) => {
        exitCode = code
        exited()
      },
      exited: exitedP,
      exitCode: () => exitCode,
    }
  }

  it('answers a malformed start with a failure naming the field, without echoing values', () => {
    const pair = channelPair()
    let starts = 0
    serveEmbeddedBackend(pair.channel, {
      start: async (o) => (starts++, startServer(o)),
      exit: pair.exit,
    })
    pair.send({ type: 'start', adminKey: 'short-secret' })
    expect(starts).toBe(0)
    expect(pair.sent).toHaveLength(1)
    const failed = pair.sent[0]!
    expect(failed.type).toBe('failed')
    const text = JSON.stringify(failed)
    expect(text).toContain('dataDir')
    expect(text).toContain('adminKey')
    expect(text).not.toContain('short-secret')
  })

  it('starts once, refuses a second start, and closes the server before exiting on stop', async () => {
    const pair = channelPair()
    serveEmbeddedBackend(pair.channel, { start: startServer, exit: pair.exit })
    pair.send({ type: 'start', dataDir: freshDir(), adminKey: ADMIN_KEY })
    pair.send({ type: 'start', dataDir: freshDir(), adminKey: ADMIN_KEY })
    await expect.poll(() => pair.sent.some((m) => m.type === 'ready')).toBe(true)
    expect(pair.sent.filter((m) => m.type === 'failed')).toEqual([
      { type: 'failed', message: 'The embedded backend was already started.' },
    ])
    const ready = pair.sent.find((m) => m.type === 'ready')!
    if (ready.type !== 'ready') throw new Error('unreachable')
    expect((await fetch(`${ready.adminBaseUrl}/health`)).status).toBe(200)
    pair.send({ type: 'stop' })
    await pair.exited
    expect(pair.exitCode()).toBe(0)
    await expect(fetch(`${ready.adminBaseUrl}/health`)).rejects.toThrow()
  })

  it('picks Electron’s parentPort when there is one, else the Node IPC channel', () => {
    const posted: unknown[] = []
    const received: unknown[] = []
    let portListener: (e: { data: unknown }) => void = () => {}
    const electronLike = {
      parentPort: {
        on: (_e: 'message', l: (e: { data: unknown }) => void) => (portListener = l),
        postMessage: (m: unknown) => void posted.push(m),
      },
      on: () => {
        throw new Error('must not use the Node channel')
      },
      once: () => undefined,
    }
    const channel = connectToParent(electronLike)
    channel.onMessage((m) => received.push(m))
    portListener({ data: { type: 'stop' } })
    channel.postMessage({ type: 'failed', message: 'x' })
    expect(received).toEqual([{ type: 'stop' }])
    expect(posted).toEqual([{ type: 'failed', message: 'x' }])
    expect(() => connectToParent({ on: () => undefined, once: () => undefined })).toThrow(
      /must be started by scim-console/,
    )
  })
})
