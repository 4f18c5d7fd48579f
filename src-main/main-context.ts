import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { AppError } from '../src-shared/errors.ts'
import { registerSecret } from '../src-shared/redact.ts'
import type { EmbeddedBackend } from '../src-server/launcher/embedded-protocol.ts'
import { launchBackendProcess } from '../src-server/launcher/launch-process.ts'
import {
  DEFAULT_RESTART_POLICY,
  RestartDecider,
  type EmbeddedBackendState,
  type RestartPolicy,
} from './backend-supervisor.ts'
import { createBackendAccess, type BackendAccess } from './connections/backend-access.ts'
import { readSettings } from './connections/settings-file.ts'
import { openSecretStore, type SecretStoreKind } from './secrets/open-secret-store.ts'
import type { SecretStore } from './secrets/secret-store.ts'

/** The connection name the embedded reference backend is listed under. */
export const EMBEDDED_CONNECTION = 'embedded'

export type { EmbeddedBackend }

/** Starts the embedded backend with this admin key, its data in `dataDir`. */
export type StartEmbedded = (opts: {
  dataDir: string
  adminKey: string
  /** The backend process ended without being asked to (a crash); the context restarts it. */
  onUnexpectedExit?: (code: number | null, diagnostics: string) => void
}) => Promise<EmbeddedBackend>

export type { EmbeddedBackendState }

export interface MainContextOptions {
  /** The app's data folder (settings file, embedded backend's database). */
  dataDir: string
  env: NodeJS.ProcessEnv
  platform: NodeJS.Platform
  /** The Node binary the default launcher (launchBackendProcess, plain Node only) runs. */
  runtime: { execPath: string }
  /**
   * Replaces the default child-process launcher: the Electron app passes its utility-process
   * launcher (src-main/electron/embedded-backend.ts), since a packaged app can neither run
   * itself as Node (RunAsNode fuse off) nor reach bin/scim-console.mjs; tests start the backend
   * in-process.
   */
  startEmbedded?: StartEmbedded
  /** Passed to the admin client (tests shorten it). */
  timeoutMs?: number
  /** When to restart a crashed embedded backend and when to give up (tests shorten the waits). */
  restartPolicy?: RestartPolicy
  /** Told every time the embedded backend's state changes (the UI shows crashes and restarts). */
  onEmbeddedState?: (state: EmbeddedBackendState) => void
}

/**
 * The long-lived main-process services, built once per process and shared by every handler:
 * the secret store, the backends (saved connections plus the embedded reference backend) and
 * their shutdown.
 */
export interface MainContext {
  readonly dataDir: string
  readonly store: SecretStore
  secretStoreInfo(): { kind: SecretStore['kind']; memoryOnly: boolean }
  /**
   * The backend door. With no saved connection it first starts the embedded backend (once), so
   * everything works on first start; once started it stays listed until shutdown.
   */
  access(): Promise<BackendAccess>
  /** The embedded backend's addresses and demo tenant, when it runs. */
  embedded(): { name: string; adminBaseUrl: string; scimBaseUrl: string; tenantId: string } | null
  /** Running, restarting after a crash (with why), or given up after repeated crashes. */
  embeddedState(): EmbeddedBackendState
  /** Stops the embedded backend; safe to call twice. */
  close(): Promise<void>
  /** Registers a service to stop on close, before the embedded backend goes (live log streams). */
  onClose(stop: () => Promise<void>): void
}

export async function openMainContext(options: MainContextOptions): Promise<MainContext> {
  const { dataDir, env } = options
  // An unreadable settings file must not stop the app from opening: the env decides then, and the
  // connection calls report the settings error with its fix when they read the file.
  let setting: SecretStoreKind | undefined
  try {
    setting = (await readSettings(dataDir)).secretStore
  } catch {
    setting = undefined
  }
  const store = openSecretStore({
    env,
    platform: options.platform,
    ...(setting ? { setting } : {}),
  })
  const startEmbedded: StartEmbedded =
    options.startEmbedded ??
    (async ({ dataDir: dir, adminKey, onUnexpectedExit }) => {
      const launched = await launchBackendProcess({
        dataDir: dir,
        adminKey,
        execPath: options.runtime.execPath,
        ...(onUnexpectedExit ? { onUnexpectedExit } : {}),
      })
      return launched
    })

  let running: (EmbeddedBackend & { adminKey: string }) | undefined
  let starting: Promise<void> | undefined
  let closed = false
  const decider = new RestartDecider(options.restartPolicy ?? DEFAULT_RESTART_POLICY)
  let state: EmbeddedBackendState = { state: 'stopped' }
  let restarts = 0
  /** A restart scheduled after a crash; calls made meanwhile wait for it instead of failing. */
  let restarting: Promise<void> | undefined
  let restartTimer: ReturnType<typeof setTimeout> | undefined
  const setState = (next: EmbeddedBackendState): void => {
    state = next
    options.onEmbeddedState?.(next)
  }
  const closers: Array<() => Promise<void>> = []
  let cached: { access: BackendAccess; withEmbedded: boolean } | undefined

  const base = { dataDir, store, ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}) }

  function build(): BackendAccess {
    const embedded = running
      ? {
          name: EMBEDDED_CONNECTION,
          adminBaseUrl: running.adminBaseUrl,
          adminKey: running.adminKey,
        }
      : undefined
    const access = createBackendAccess({ ...base, ...(embedded ? { embedded } : {}) })
    cached = { access, withEmbedded: running !== undefined }
    return access
  }

  async function ensureEmbedded(): Promise<void> {
    if (state.state === 'failed') throw gaveUp(state.reason)
    if (restarting) return restarting
    starting ??= (async () => {
      if (state.state !== 'restarting') setState({ state: 'starting' })
      // A fresh key each start: the backend stores only its hash, and this process is its only holder.
      const adminKey = `admin_${randomBytes(24).toString('base64url')}`
      registerSecret(adminKey)
      const self: { backend?: EmbeddedBackend } = {}
      const backend = await startEmbedded({
        dataDir: join(dataDir, 'embedded-backend'),
        adminKey,
        onUnexpectedExit: (code, diagnostics) => {
          // Only the instance that is current: a late exit of an older one changes nothing.
          if (self.backend && running?.stop === self.backend.stop) crashed(code, diagnostics)
        },
      })
      self.backend = backend
      if (closed) {
        await backend.stop()
        return
      }
      running = { ...backend, adminKey }
      setState({ state: 'running', restarts })
    })()
    try {
      await starting
    } catch (err) {
      // Let the next call try again instead of caching the failure forever.
      starting = undefined
      if (state.state === 'restarting') crashed(null, (err as Error).message)
      else setState({ state: 'stopped' })
      throw err
    }
  }

  /** The embedded backend died on its own: forget it, and restart it after a pause or give up. */
  function crashed(code: number | null, diagnostics: string): void {
    if (closed) return
    running = undefined
    cached = undefined
    starting = undefined
    const reason = `the embedded backend exited unexpectedly (code ${code ?? 'none'})${diagnostics ? `: ${diagnostics.slice(-300)}` : ''}`
    const decision = decider.crashed(Date.now())
    if (!decision.restart) {
      restarting = undefined
      setState({ state: 'failed', restarts, reason })
      return
    }
    restarts++
    setState({ state: 'restarting', restarts, reason, retryInMs: decision.delayMs })
    restarting = new Promise<void>((resolve, reject) => {
      restartTimer = setTimeout(() => {
        restartTimer = undefined
        restarting = undefined
        ensureEmbedded().then(resolve, reject)
      }, decision.delayMs)
      restartTimer.unref?.()
    })
    // Whoever waits sees the outcome; nobody waiting must not make it "unhandled".
    restarting.catch(() => undefined)
  }

  function gaveUp(reason: string): AppError {
    return new AppError(
      'backend.unavailable',
      `The embedded reference backend kept crashing and was not restarted again: ${reason}.`,
      {
        hint: `Quit and reopen scim-console. If it happens again, check that ${join(dataDir, 'embedded-backend')} is on a disk with free space and not used by another scim-console, or add a backend connection in Connections.`,
      },
    )
  }

  return {
    dataDir,
    store,
    secretStoreInfo: () => ({ kind: store.kind, memoryOnly: store.kind === 'memory' }),
    async access() {
      if (running === undefined && !closed) {
        const saved = await (cached?.access ?? build()).connections.list()
        if (saved.length === 0) await ensureEmbedded()
      }
      if (cached && cached.withEmbedded === (running !== undefined)) return cached.access
      return build()
    },
    embedded: () =>
      running
        ? {
            name: EMBEDDED_CONNECTION,
            adminBaseUrl: running.adminBaseUrl,
            scimBaseUrl: running.scimBaseUrl,
            tenantId: running.tenantId,
          }
        : null,
    embeddedState: () => state,
    onClose: (stop) => void closers.push(stop),
    async close() {
      closed = true
      if (restartTimer) clearTimeout(restartTimer)
      await Promise.allSettled(closers.splice(0).map((stop) => stop()))
      await starting?.catch(() => undefined)
      const backend = running
      running = undefined
      await backend?.stop()
      if (backend) setState({ state: 'stopped' })
    },
  }
}
