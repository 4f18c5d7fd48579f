import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { EXIT_WITH_PARENT_ENV } from './parent-watch.ts'

export interface LaunchOptions {
  dataDir: string
  host?: string
  /** Passed through the environment, never argv (argv is visible to every local user). */
  adminKey?: string
  demoToken?: string
  rateLimit?: string
  /** Maximum events kept per tenant (--retention). */
  retention?: number
  /**
   * The Node binary (default: this process's). Plain Node only: the Electron app starts the
   * backend with utilityProcess instead (src-main/electron/embedded-backend.ts), because a packaged
   * app has its RunAsNode fuse off and ships no bin/ or TypeScript sources.
   */
  execPath?: string
  timeoutMs?: number
  /** The child ended after it was ready without being asked to (a crash). */
  onUnexpectedExit?: (code: number | null, stderr: string) => void
}

export interface LaunchedBackend {
  scimBaseUrl: string
  adminBaseUrl: string
  tenantId: string
  pid: number
  /** Stops the child (SIGTERM, then SIGKILL after 5 s) and resolves when it has exited. */
  stop(): Promise<void>
}

const CLI = fileURLToPath(new URL('../../bin/scim-console.mjs', import.meta.url))

/**
 * The backend's V8 old space, capped. Its live heap is small (the pages in flight, bounded caches;
 * the SQLite page cache has its own cap in db.ts), but uncapped V8 sizes the heap by the rate of
 * garbage, and under a busy mix the process sat at 350-406 MB; capped, it collects sooner, at
 * ~330 MB and no measurable cost (bench/README.md, "Issue #15, a fourth look").
 */
export const BACKEND_HEAP_FLAG = '--max-old-space-size=256'

/**
 * Starts the reference backend as a child process on a free loopback port and resolves once it
 * printed its URLs (the first stdout line is a JSON object when --port is 0). For the CLI, the web
 * host and benchmarks, which run from a source checkout under plain Node.
 */
export function launchBackendProcess(opts: LaunchOptions): Promise<LaunchedBackend> {
  const args = [
    BACKEND_HEAP_FLAG,
    CLI,
    'backend',
    'serve',
    '--port',
    '0',
    '--host',
    opts.host ?? '127.0.0.1',
    '--data',
    opts.dataDir,
  ]
  if (opts.rateLimit) args.push('--rate-limit', opts.rateLimit)
  if (opts.retention) args.push('--retention', String(opts.retention))
  const env: NodeJS.ProcessEnv = { ...process.env }
  delete env.SCIM_CONSOLE_ADMIN_KEY
  delete env.SCIM_CONSOLE_DEMO_TOKEN
  if (opts.adminKey) env.SCIM_CONSOLE_ADMIN_KEY = opts.adminKey
  if (opts.demoToken) env.SCIM_CONSOLE_DEMO_TOKEN = opts.demoToken
  // The child stops when this process is gone, however it ends: it watches the stdin pipe we hold
  // (never written, closed by the kernel when we die) and its parent pid (parent-watch.ts).
  env[EXIT_WITH_PARENT_ENV] = '1'
  const child: ChildProcess = spawn(opts.execPath ?? process.execPath, args, {
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  // Never written to; its only job is to close when this process exits. Unref'd so it does not
  // keep this process alive on its own.
  child.stdin!.on('error', () => {})
  ;(child.stdin as unknown as { unref?: () => void }).unref?.()
  let stderr = ''
  child.stderr!.setEncoding('utf8')
  child.stderr!.on('data', (chunk: string) => {
    if (stderr.length < 8192) stderr += chunk
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))

  let stopRequested = false
  let ready = false
  child.once('exit', (code, signal) => {
    if (ready && !stopRequested) opts.onUnexpectedExit?.(signal ? null : code, stderr.trim())
  })

  const stop = async (): Promise<void> => {
    stopRequested = true
    if (child.exitCode !== null || child.signalCode !== null) return
    child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
    await exited
    clearTimeout(timer)
  }

  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! })
    const timer = setTimeout(() => {
      void stop()
      reject(
        new Error(
          `The backend did not start within ${opts.timeoutMs ?? 20_000} ms. ${stderr.trim()}`,
        ),
      )
    }, opts.timeoutMs ?? 20_000)
    child.once('error', (err) => {
      clearTimeout(timer)
      reject(err)
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`The backend exited (code ${code}) before it was ready. ${stderr.trim()}`))
    })
    lines.once('line', (line) => {
      clearTimeout(timer)
      let info: { scimBaseUrl?: string; adminBaseUrl?: string; tenantId?: string }
      try {
        info = JSON.parse(line) as typeof info
      } catch {
        void stop()
        reject(
          new Error(
            `The backend's first line was not its JSON address line: ${line.slice(0, 200)}`,
          ),
        )
        return
      }
      // Keep draining stdout so a chatty child never blocks on a full pipe.
      child.stdout!.resume()
      ready = true
      resolve({
        scimBaseUrl: String(info.scimBaseUrl),
        adminBaseUrl: String(info.adminBaseUrl),
        tenantId: String(info.tenantId),
        pid: child.pid!,
        stop,
      })
    })
  })
}
