import { createRequire } from 'node:module'
import { AppError } from '../../src-shared/errors.ts'
import { keychainHint } from './keychain-hint.ts'
import {
  KEYCHAIN_SERVICE,
  statusOf,
  unwrapSecret,
  wrapSecret,
  type SecretStore,
} from './secret-store.ts'

/** The part of keytar we use; also the seam for loading it. */
export interface KeytarApi {
  getPassword(service: string, account: string): Promise<string | null>
  setPassword(service: string, account: string, password: string): Promise<void>
  deletePassword(service: string, account: string): Promise<boolean>
  findCredentials(service: string): Promise<Array<{ account: string; password: string }>>
}

export interface KeytarStoreOptions {
  service?: string
  platform?: NodeJS.Platform
  /**
   * A Secret Service waiting on an unlock prompt nobody can see would hang the caller; after this
   * long the call fails with `secrets.keychain_unavailable` instead.
   */
  timeoutMs?: number
  /** Loads keytar; defaults to requiring the native module lazily. */
  load?: () => KeytarApi
}

/**
 * Loaded on first use, not at import: a machine without the native module (or without
 * libsecret) then gets the same clear `secrets.keychain_unavailable` error as one without a
 * running keychain, and code that never touches secrets never loads it.
 */
function requireKeytar(): KeytarApi {
  const require = createRequire(import.meta.url)
  const mod = require('keytar') as KeytarApi & { default?: KeytarApi }
  return typeof mod.getPassword === 'function' ? mod : (mod.default as KeytarApi)
}

export function keychainUnavailable(
  cause: unknown,
  platform: NodeJS.Platform = process.platform,
): AppError {
  const reason = cause instanceof Error ? cause.message : String(cause)
  const locked = /locked/i.test(reason)
  const message = locked
    ? 'The OS keychain is locked, so scim-console cannot store or read secrets.'
    : 'No OS keychain is available, so scim-console cannot store or read secrets.'
  return new AppError('secrets.keychain_unavailable', message, {
    hint: keychainHint(platform),
    // The keychain's own words help a person find the fault; they never contain a secret
    // (keytar reports D-Bus and libsecret failures, not the values it was given).
    details: { reason, platform },
    cause,
  })
}

export function createKeytarSecretStore(options: KeytarStoreOptions = {}): SecretStore {
  const service = options.service ?? KEYCHAIN_SERVICE
  const platform = options.platform ?? process.platform
  const timeoutMs = options.timeoutMs ?? 30_000
  const load = options.load ?? requireKeytar
  let keytar: KeytarApi | undefined

  async function call<T>(op: (k: KeytarApi) => Promise<T>): Promise<T> {
    try {
      keytar ??= load()
    } catch (err) {
      throw keychainUnavailable(err, platform)
    }
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`the keychain did not answer within ${timeoutMs} ms`)),
        timeoutMs,
      )
      timer.unref()
    })
    try {
      return await Promise.race([op(keytar), timeout])
    } catch (err) {
      throw keychainUnavailable(err, platform)
    } finally {
      clearTimeout(timer)
    }
  }

  async function readStored(account: string): Promise<string | undefined> {
    return (await call((k) => k.getPassword(service, account))) ?? undefined
  }

  return {
    kind: 'keychain',
    async get(account) {
      const stored = await readStored(account)
      return stored === undefined ? undefined : unwrapSecret(stored).secret
    },
    async set(account, secret) {
      await call((k) => k.setPassword(service, account, wrapSecret(secret)))
    },
    async delete(account) {
      return call((k) => k.deletePassword(service, account))
    },
    async list(prefix) {
      const found = await call((k) => k.findCredentials(service))
      return found
        .map((c) => c.account)
        .filter((a) => a.startsWith(prefix))
        .sort()
    },
    async status(account) {
      return statusOf(await readStored(account))
    },
  }
}
