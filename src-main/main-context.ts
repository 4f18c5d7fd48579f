import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { registerSecret } from '../src-shared/redact.ts'
import type { EmbeddedBackend } from '../src-server/launcher/embedded-protocol.ts'
import { launchBackendProcess } from '../src-server/launcher/launch-process.ts'
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
}) => Promise<EmbeddedBackend>

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
    (async ({ dataDir: dir, adminKey }) => {
      const launched = await launchBackendProcess({
        dataDir: dir,
        adminKey,
        execPath: options.runtime.execPath,
      })
      return launched
    })

  let running: (EmbeddedBackend & { adminKey: string }) | undefined
  let starting: Promise<void> | undefined
  let closed = false
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
    starting ??= (async () => {
      // A fresh key each start: the backend stores only its hash, and this process is its only holder.
      const adminKey = `admin_${randomBytes(24).toString('base64url')}`
      registerSecret(adminKey)
      const backend = await startEmbedded({ dataDir: join(dataDir, 'embedded-backend'), adminKey })
      if (closed) {
        await backend.stop()
        return
      }
      running = { ...backend, adminKey }
    })()
    try {
      await starting
    } catch (err) {
      // Let the next call try again instead of caching the failure forever.
      starting = undefined
      throw err
    }
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
    onClose: (stop) => void closers.push(stop),
    async close() {
      closed = true
      await Promise.allSettled(closers.splice(0).map((stop) => stop()))
      await starting?.catch(() => undefined)
      const backend = running
      running = undefined
      await backend?.stop()
    },
  }
}
