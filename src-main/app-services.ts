import pkg from '../package.json' with { type: 'json' }
import type { MetadataSource } from '../src-shared/metadata.ts'
import { createHarnessService, type HarnessService } from './harness/harness-service.ts'
import type { RunHarnessInput } from './harness/runner.ts'
import type { RestartPolicy } from './backend-supervisor.ts'
import { openMainContext, type MainContext, type StartEmbedded } from './main-context.ts'
import { inspectMetadata } from './metadata/inspect-metadata.ts'
import { OnboardingService } from './onboarding/onboarding-service.ts'
import { OnboardingStore } from './onboarding/onboarding-store.ts'
import { LogRegistry } from './provisioning-log/log-registry.ts'
import { RendererEvents } from './renderer-events.ts'
import { createSsoPush, type SsoPush } from './sso/sso-push.ts'
import { createSsoSignIn, type SsoSignIn } from './sso/sso-signin.ts'

/**
 * The composition root: every long-lived main-process service, built once per process from what
 * differs per front door (the platform). Electron, the web host (`scim-console web`), the handler
 * tests and the benchmarks each call `createAppServices` once; the channel handlers
 * (src-main/handlers/) only map channels onto these services and hold no state of their own.
 */

/** Copy buttons go through main so the sandboxed renderer needs no clipboard permission. */
export interface Clipboard {
  writeText(text: string): Promise<void>
  /** The 60-second clear after copying a token: true when the clipboard still held `text`. */
  clearIfEquals(text: string): Promise<boolean>
}

export interface Dialogs {
  /** Shows a native open dialog and reads the chosen file; null when cancelled. */
  pickMetadataFile(): Promise<{ name: string; text: string } | null>
}

/** What differs per front door (Electron, the web host, tests). */
export interface AppPlatform {
  /** The app's data folder: settings, onboarding state, the embedded backend's database. */
  dataDir: string
  env: NodeJS.ProcessEnv
  osPlatform: NodeJS.Platform
  /** Shown by `app.info`, e.g. "electron 38.1.0" or "node v24.1.0 (web host)". */
  runtime: string
  /** The Node binary the default embedded-backend launcher runs (plain Node front doors). */
  execPath: string
  clipboard: Clipboard
  dialogs: Dialogs
  /**
   * Opens a URL in the system browser (Electron's shell); absent where the page opens it itself
   * (the web host's browser, tests). Only ever given the tenant's SP login URL (sso.openLogin).
   */
  openExternal?: (url: string) => Promise<void>
  /**
   * Replaces the default child-process launcher of the embedded backend: Electron passes its
   * utility-process launcher, tests start the backend in-process.
   */
  startEmbedded?: StartEmbedded
  /** Tests only: shorter admin-client timeouts, harness retry waits, log batching. */
  tuning?: {
    adminTimeoutMs?: number
    /** When to restart a crashed embedded backend (tests shorten the waits). */
    restartPolicy?: RestartPolicy
    harness?: RunHarnessInput['tuning']
    logBatchMs?: number
    logCapacity?: number
    now?: () => Date
  }
}

export interface MetadataService {
  inspect(source: MetadataSource, entityId?: string): ReturnType<typeof inspectMetadata>
  pickFile: Dialogs['pickMetadataFile']
}

export interface AppServices {
  readonly dataDir: string
  /** Main-to-renderer events; each front door subscribes once and forwards. */
  readonly events: RendererEvents
  readonly app: { info(): { name: string; version: string; runtime: string } }
  /**
   * Saved connections plus the embedded reference backend: `access()` is the door to
   * connections, tenants and tokens; `embedded()` says whether the local backend runs.
   */
  readonly backends: MainContext
  /** The secret store (OS keychain, or memory when chosen explicitly). */
  readonly secrets: {
    readonly store: MainContext['store']
    info(): { kind: MainContext['store']['kind']; memoryOnly: boolean }
  }
  readonly clipboard: Clipboard
  readonly metadata: MetadataService
  readonly sso: SsoPush
  /** The sign-in test, the SSO log and diagnosis, the offline SAML inspector. */
  readonly ssoSignIn: SsoSignIn
  /** The one harness: the Conformance screen's runs and onboarding's pre-go-live test. */
  readonly harness: HarnessService
  /** The provisioning log screen's live log (one tenant at a time). */
  readonly log: LogRegistry
  readonly onboarding: OnboardingService
  /**
   * Stops everything, in the order that lets each part clean up: harness runs are cancelled
   * and delete what they created (onboarding saves their reports), the log stream stops, then
   * the embedded backend closes its database. Safe to call twice.
   */
  close(): Promise<void>
}

export async function createAppServices(platform: AppPlatform): Promise<AppServices> {
  const tuning = platform.tuning ?? {}
  const events = new RendererEvents()
  const backends = await openMainContext({
    dataDir: platform.dataDir,
    env: platform.env,
    platform: platform.osPlatform,
    runtime: { execPath: platform.execPath },
    ...(platform.startEmbedded ? { startEmbedded: platform.startEmbedded } : {}),
    ...(tuning.adminTimeoutMs ? { timeoutMs: tuning.adminTimeoutMs } : {}),
    ...(tuning.restartPolicy ? { restartPolicy: tuning.restartPolicy } : {}),
    onEmbeddedState: (state) => events.emit('app.backendChanged', state),
  })
  const access = () => backends.access()
  const harness = createHarnessService({
    onProgress: (message) => events.emit('harness.progress', message),
    ...(tuning.harness ? { tuning: tuning.harness } : {}),
  })
  const log = new LogRegistry({
    access,
    events,
    ...(tuning.logBatchMs !== undefined ? { batchMs: tuning.logBatchMs } : {}),
    ...(tuning.logCapacity !== undefined ? { capacity: tuning.logCapacity } : {}),
  })
  const ssoSignIn = createSsoSignIn({
    access,
    ...(platform.openExternal ? { openExternal: platform.openExternal } : {}),
    ...(tuning.now ? { now: tuning.now } : {}),
  })
  const onboarding = new OnboardingService({
    store: new OnboardingStore(platform.dataDir),
    access,
    embeddedName: () => backends.embedded()?.name ?? null,
    harness,
    ssoSignIn,
    ...(tuning.now ? { now: tuning.now } : {}),
  })
  let closing: Promise<void> | undefined
  return {
    dataDir: platform.dataDir,
    events,
    app: { info: () => ({ name: pkg.name, version: pkg.version, runtime: platform.runtime }) },
    backends,
    secrets: { store: backends.store, info: () => backends.secretStoreInfo() },
    clipboard: platform.clipboard,
    metadata: {
      inspect: (source, entityId) =>
        inspectMetadata(source, entityId === undefined ? {} : { entityId }),
      pickFile: () => platform.dialogs.pickMetadataFile(),
    },
    sso: createSsoPush({ access }),
    ssoSignIn,
    harness,
    log,
    onboarding,
    close() {
      closing ??= (async () => {
        try {
          await harness.close()
          await onboarding.close()
          await log.closeAll()
        } finally {
          await backends.close()
        }
      })()
      return closing
    },
  }
}
