import { z } from 'zod'
import { AppError } from '../../src-shared/errors.ts'
import { redact, redactString } from '../../src-shared/redact.ts'
import { watchParent } from './parent-watch.ts'

/**
 * The messages between the console's main process and the embedded reference backend running in
 * its own process (an Electron utility process, or a Node child with an IPC channel). The admin
 * key travels in the `start` message, never in argv or the environment, which other local users
 * or crash reporters can read.
 */

/** A running embedded backend as the console sees it: its addresses, demo tenant and stop. */
export interface EmbeddedBackend {
  adminBaseUrl: string
  scimBaseUrl: string
  tenantId: string
  stop(): Promise<void>
}

/** The bundle name: electron.vite.config.ts builds src-server/launcher/embedded-entry.ts to it. */
export const EMBEDDED_BACKEND_BUNDLE = 'embedded-backend'
/** How the process shows up in app.getAppMetrics() and child-process-gone events. */
export const EMBEDDED_BACKEND_SERVICE_NAME = 'scim-console embedded backend'

const startMessage = z.strictObject({
  type: z.literal('start'),
  dataDir: z.string().min(1),
  adminKey: z.string().regex(/^[\x21-\x7e]{16,}$/),
})
const stopMessage = z.strictObject({ type: z.literal('stop') })
export const parentMessageSchema = z.discriminatedUnion('type', [startMessage, stopMessage])
export type ParentMessage = z.infer<typeof parentMessageSchema>

const readyMessage = z.strictObject({
  type: z.literal('ready'),
  scimBaseUrl: z.url(),
  adminBaseUrl: z.url(),
  tenantId: z.string().min(1),
})
const failedMessage = z.strictObject({ type: z.literal('failed'), message: z.string() })
const logMessage = z.strictObject({
  type: z.literal('log'),
  entry: z.record(z.string(), z.unknown()),
})
export const childMessageSchema = z.discriminatedUnion('type', [
  readyMessage,
  failedMessage,
  logMessage,
])
export type ChildMessage = z.infer<typeof childMessageSchema>

// ---------------------------------------------------------------------------------------------
// Child side

/** The child's end of the channel to the console. */
export interface ParentChannel {
  onMessage(listener: (message: unknown) => void): void
  postMessage(message: ChildMessage): void
  /** Fires when the parent is gone, however it ended (see parent-watch.ts). */
  onDisconnect?(listener: () => void): void
}

/** What the child needs from src-server's startServer (injected so this file stays importable). */
export interface EmbeddedServer {
  scimBaseUrl: string
  adminBaseUrl: string
  demoTenantId: string
  close(): Promise<void>
}

export type StartEmbeddedServer = (opts: {
  port: number
  host: string
  dataDir: string
  adminKey: string
  log: (entry: Record<string, unknown>) => void
}) => Promise<EmbeddedServer>

/** The parts of `process` the entry uses to find its parent. */
export interface ProcessLike {
  parentPort?: {
    on(event: 'message', listener: (e: { data: unknown }) => void): unknown
    postMessage(message: unknown): void
  }
  send?: (message: unknown) => boolean
  connected?: boolean
  readonly ppid?: number
  on(event: 'message', listener: (message: unknown) => void): unknown
  once(event: 'disconnect', listener: () => void): unknown
}

/**
 * The channel to the console: Electron's `process.parentPort` in a utility process, else the Node
 * IPC channel of `child_process.fork` (plain Node, tests). Throws when started any other way.
 */
export function connectToParent(proc: ProcessLike): ParentChannel {
  const port = proc.parentPort
  if (port) {
    return {
      onMessage: (listener) => void port.on('message', (e) => listener(e.data)),
      postMessage: (message) => port.postMessage(message),
      // A utility process gets no event when the app dies (a SIGKILLed app cannot kill it):
      // it notices being re-parented instead.
      onDisconnect: (listener) =>
        void watchParent(listener, {
          pollPpid: proc.ppid !== undefined,
          proc: proc as { ppid: number },
        }),
    }
  }
  const send = proc.send
  if (typeof send === 'function' && proc.connected) {
    return {
      onMessage: (listener) => void proc.on('message', listener),
      postMessage: (message) => void send.call(proc, message),
      onDisconnect: (listener) => {
        proc.once('disconnect', listener)
        if (proc.ppid !== undefined)
          watchParent(listener, { pollPpid: true, proc: proc as { ppid: number } })
      },
    }
  }
  throw new Error(
    'The embedded backend entry must be started by scim-console (Electron utilityProcess.fork or ' +
      'child_process.fork with an IPC channel). To run the reference backend by hand use ' +
      '`scim-console backend serve`.',
  )
}

/**
 * Runs the child's half: waits for `start`, starts the server on a free loopback port, answers
 * `ready` (or `failed`), forwards redacted server log entries, and on `stop` or a lost parent
 * closes the server (flushing buffered provisioning events) before exiting.
 */
export function serveEmbeddedBackend(
  channel: ParentChannel,
  deps: { start: StartEmbeddedServer; exit: (code: number) => void },
): void {
  let server: Promise<EmbeddedServer> | undefined
  let stopping = false

  const shutdown = async (): Promise<void> => {
    if (stopping) return
    stopping = true
    let code = 0
    const running = await server?.catch(() => undefined)
    try {
      await running?.close()
    } catch (err) {
      code = 1
      channel.postMessage({
        type: 'log',
        entry: {
          level: 'error',
          msg: 'closing the backend failed',
          error: redactString(String(err)),
        },
      })
    }
    deps.exit(code)
  }

  channel.onMessage((raw) => {
    const parsed = parentMessageSchema.safeParse(raw)
    if (!parsed.success) {
      // Name the fields, never echo values: a malformed start message may still hold the key.
      const fields = parsed.error.issues.map((i) => i.path.join('.') || '(message)').join(', ')
      channel.postMessage({
        type: 'failed',
        message: `The console sent a message the embedded backend does not understand (check: ${fields}).`,
      })
      return
    }
    const message = parsed.data
    if (message.type === 'stop') return void shutdown()
    if (server || stopping) {
      channel.postMessage({ type: 'failed', message: 'The embedded backend was already started.' })
      return
    }
    server = deps.start({
      port: 0,
      host: '127.0.0.1',
      dataDir: message.dataDir,
      adminKey: message.adminKey,
      log: (entry) => channel.postMessage({ type: 'log', entry: redact(entry) }),
    })
    server.then(
      (s) =>
        channel.postMessage({
          type: 'ready',
          scimBaseUrl: s.scimBaseUrl,
          adminBaseUrl: s.adminBaseUrl,
          tenantId: s.demoTenantId,
        }),
      (err: unknown) =>
        channel.postMessage({
          type: 'failed',
          message: redactString(err instanceof Error ? err.message : String(err)),
        }),
    )
  })
  channel.onDisconnect?.(() => void shutdown())
}

// ---------------------------------------------------------------------------------------------
// Parent side

/** The console's handle on the child process, whatever started it. */
export interface ChildHandle {
  readonly pid: number | undefined
  postMessage(message: ParentMessage): void
  onMessage(listener: (message: unknown) => void): void
  onExit(listener: (code: number | null) => void): void
  /** Ends the process at once (SIGTERM on POSIX); used when it does not stop when asked. */
  kill(): void
}

export interface StartChildOptions {
  dataDir: string
  adminKey: string
  timeoutMs?: number
  /** How long `stop()` waits for a clean exit before it kills the process. */
  stopTimeoutMs?: number
  /** Server log entries (already redacted in the child). */
  onLog?: (entry: Record<string, unknown>) => void
  /** The process ended without being asked to (crash); the console keeps running without it. */
  onUnexpectedExit?: (code: number | null, diagnostics: string) => void
  /** The child's stderr so far, for error messages when it dies. */
  diagnostics?: () => string
}

export type StartedChild = EmbeddedBackend & { pid: number | undefined }

/**
 * Sends `start` to a freshly started child and resolves with its addresses once it answers
 * `ready`. Rejects with `backend.unavailable` when it fails, exits or stays silent, and ends it.
 */
export function startEmbeddedChild(
  child: ChildHandle,
  opts: StartChildOptions,
): Promise<StartedChild> {
  const timeoutMs = opts.timeoutMs ?? 20_000
  const stopTimeoutMs = opts.stopTimeoutMs ?? 5_000
  const diagnostics = (): string => redactString(opts.diagnostics?.().trim() ?? '').slice(-2000)
  let exitCode: number | null | undefined
  let stopRequested = false
  let onEarlyExit: ((code: number | null) => void) | undefined
  const exited = new Promise<void>((resolve) =>
    child.onExit((code) => {
      exitCode = code
      resolve()
      if (onEarlyExit) onEarlyExit(code)
      else if (!stopRequested) opts.onUnexpectedExit?.(code, diagnostics())
    }),
  )

  const stop = async (): Promise<void> => {
    stopRequested = true
    if (exitCode !== undefined) return
    try {
      child.postMessage({ type: 'stop' })
    } catch {
      // The channel is already closed; the kill below still ends the process.
    }
    let timer: ReturnType<typeof setTimeout> | undefined
    await Promise.race([
      exited,
      new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          child.kill()
          resolve()
        }, stopTimeoutMs)
      }),
    ])
    clearTimeout(timer)
    await exited
  }

  const unavailable = (why: string): AppError => {
    const tail = diagnostics()
    return new AppError(
      'backend.unavailable',
      `The embedded reference backend could not start: ${why}${tail ? ` (${tail})` : ''}`,
      {
        hint: `Check that ${opts.dataDir} is writable and not used by another running scim-console, or add a backend connection in Connections.`,
      },
    )
  }

  return new Promise<StartedChild>((resolve, reject) => {
    let settled = false
    const fail = (why: string): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      onEarlyExit = undefined
      void stop()
      reject(unavailable(why))
    }
    const timer = setTimeout(
      () => fail(`it did not answer within ${Math.round(timeoutMs / 1000)} s`),
      timeoutMs,
    )
    onEarlyExit = (code) => fail(`its process exited (code ${code}) before it was ready`)

    child.onMessage((raw) => {
      const parsed = childMessageSchema.safeParse(raw)
      if (!parsed.success) return fail('it sent a message the console does not understand')
      const message = parsed.data
      if (message.type === 'log') return void opts.onLog?.(message.entry)
      if (message.type === 'failed') return fail(message.message)
      if (settled) return
      settled = true
      clearTimeout(timer)
      onEarlyExit = undefined
      resolve({
        scimBaseUrl: message.scimBaseUrl,
        adminBaseUrl: message.adminBaseUrl,
        tenantId: message.tenantId,
        pid: child.pid,
        stop,
      })
    })
    try {
      child.postMessage({ type: 'start', dataDir: opts.dataDir, adminKey: opts.adminKey })
    } catch (err) {
      fail(`the console could not talk to it: ${(err as Error).message}`)
    }
  })
}
