import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { startBackendProcess } from '../../test/support/backend-process.ts'
import { watchParent } from './parent-watch.ts'

const dirs: string[] = []
function tempDir(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), prefix))
  dirs.push(d)
  return d
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/** Resolves once the process is gone; the test's own timeout is the bound. */
async function gone(pid: number): Promise<void> {
  while (alive(pid)) await new Promise((r) => setTimeout(r, 50))
}

describe('watchParent', () => {
  it('fires once when the stdin pipe closes, and not before', async () => {
    const stdin = new PassThrough()
    let calls = 0
    watchParent(() => calls++, { stdin })
    stdin.write('ignored')
    await new Promise((r) => setImmediate(r))
    expect(calls).toBe(0)
    stdin.end()
    await new Promise((r) => setTimeout(r, 10))
    expect(calls).toBe(1)
    stdin.destroy()
    await new Promise((r) => setTimeout(r, 10))
    expect(calls).toBe(1)
  })

  it('fires when the parent pid changes (a fake process object standing in for re-parenting)', async () => {
    const proc = { ppid: 4242 }
    let calls = 0
    const stop = watchParent(() => calls++, { pollPpid: true, proc, intervalMs: 5 })
    await new Promise((r) => setTimeout(r, 30))
    expect(calls).toBe(0)
    proc.ppid = 1
    await new Promise((r) => setTimeout(r, 30))
    expect(calls).toBe(1)
    stop()
  })

  it('does not watch a process started by init itself (no parent to lose)', async () => {
    const proc = { ppid: 1 }
    let calls = 0
    watchParent(() => calls++, { pollPpid: true, proc, intervalMs: 5 })
    proc.ppid = 7
    await new Promise((r) => setTimeout(r, 30))
    expect(calls).toBe(0)
  })
})

describe('no orphans, clean stops (real processes)', { timeout: 120_000 }, () => {
  it('a backend started by launchBackendProcess exits when its parent is killed with SIGKILL', async () => {
    const dir = tempDir('scim-orphan-')
    const launcher = fileURLToPath(new URL('./launch-process.ts', import.meta.url))
    const parentScript = join(dir, 'parent.ts')
    writeFileSync(
      parentScript,
      `import { launchBackendProcess } from ${JSON.stringify(launcher)}
const b = await launchBackendProcess({ dataDir: ${JSON.stringify(join(dir, 'data'))}, adminKey: 'scimc_admin_orphan-test-key' })
process.stdout.write(String(b.pid) + '\\n')
setInterval(() => {}, 1000)
`,
    )
    const parent = spawn(process.execPath, [parentScript], { stdio: ['ignore', 'pipe', 'inherit'] })
    const childPid = await new Promise<number>((resolve, reject) => {
      parent.stdout.once('data', (d: Buffer) => resolve(Number(String(d).trim())))
      parent.once('exit', (code) => reject(new Error(`parent exited early (${code})`)))
    })
    expect(alive(childPid)).toBe(true)
    parent.kill('SIGKILL')
    await gone(childPid)
    expect(alive(childPid)).toBe(false)
    // It stopped cleanly: the database was closed, so SQLite checkpointed and removed its WAL.
    expect(existsSync(join(dir, 'data', 'scim-backend.sqlite-wal'))).toBe(false)
  })

  it('SIGTERM with a request stuck mid-body: the backend stops within its grace period, closes the database and exits 0', async () => {
    const dir = tempDir('scim-sigterm-')
    const b = await startBackendProcess({
      dataDir: dir,
      adminKey: 'scimc_admin_sigterm-test-key',
      demoToken: 'scimc_scim_sigterm-test-token',
    })
    const url = new URL(b.scimBaseUrl)
    const socket = connect(Number(url.port), url.hostname)
    socket.on('error', () => {})
    await new Promise<void>((r) => socket.once('connect', () => r()))
    socket.write(
      `POST /scim/v2/Users HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer scimc_scim_sigterm-test-token\r\nContent-Type: application/scim+json\r\nContent-Length: 500\r\n\r\n{"userName":`,
    )
    await new Promise((r) => setTimeout(r, 200))
    b.child.kill('SIGTERM')
    const exit = await b.exited
    socket.destroy()
    expect(exit).toEqual({ code: 0, signal: null })
    expect(existsSync(join(dir, 'scim-backend.sqlite-wal'))).toBe(false)
  })

  it('SIGINT stops an idle backend the same way', async () => {
    const dir = tempDir('scim-sigint-')
    const b = await startBackendProcess({ dataDir: dir, adminKey: 'scimc_admin_sigint-test-key' })
    b.child.kill('SIGINT')
    expect(await b.exited).toEqual({ code: 0, signal: null })
    expect(existsSync(join(dir, 'scim-backend.sqlite-wal'))).toBe(false)
  })
})
