import { AppError } from '../../src-shared/errors.ts'
import { createKeytarSecretStore, type KeytarStoreOptions } from './keytar-secret-store.ts'
import { createMemorySecretStore } from './memory-secret-store.ts'
import type { SecretStore } from './secret-store.ts'

export type SecretStoreKind = 'keychain' | 'memory'

export interface OpenSecretStoreOptions extends KeytarStoreOptions {
  env?: NodeJS.ProcessEnv
  /** The app setting, if a person chose one. The environment variable wins over it. */
  setting?: SecretStoreKind
}

/** Which store to use: the keychain unless someone explicitly asked for memory. */
export function chooseSecretStoreKind(
  options: { env?: NodeJS.ProcessEnv; setting?: SecretStoreKind } = {},
): SecretStoreKind {
  const raw = (options.env ?? process.env).SCIM_CONSOLE_SECRET_STORE?.trim()
  if (raw === undefined || raw === '') return options.setting ?? 'keychain'
  const value = raw.toLowerCase()
  if (value === 'memory' || value === 'keychain') return value
  throw new AppError(
    'cli.usage',
    `SCIM_CONSOLE_SECRET_STORE is "${raw}", which is not a secret store scim-console knows.`,
    { hint: 'Set it to "keychain" (the OS keychain, the default) or "memory", or unset it.' },
  )
}

// One in-memory store per process, so every part of the app (and successive in-process CLI
// commands) sees the same secrets while the memory store is chosen.
let processMemoryStore: SecretStore | undefined

export function openSecretStore(options: OpenSecretStoreOptions = {}): SecretStore {
  if (chooseSecretStoreKind(options) === 'memory') {
    processMemoryStore ??= createMemorySecretStore()
    return processMemoryStore
  }
  return createKeytarSecretStore(options)
}
