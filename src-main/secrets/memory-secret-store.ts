import { statusOf, unwrapSecret, wrapSecret, type SecretStore } from './secret-store.ts'

/**
 * Secrets in process memory only: nothing survives a restart. Used only when chosen explicitly
 * (a setting or SCIM_CONSOLE_SECRET_STORE=memory), never as a fallback for a missing keychain.
 */
export function createMemorySecretStore(): SecretStore {
  const entries = new Map<string, string>()
  return {
    kind: 'memory',
    async get(account) {
      const stored = entries.get(account)
      return stored === undefined ? undefined : unwrapSecret(stored).secret
    },
    async set(account, secret) {
      entries.set(account, wrapSecret(secret))
    },
    async delete(account) {
      return entries.delete(account)
    },
    async list(prefix) {
      return [...entries.keys()].filter((a) => a.startsWith(prefix)).sort()
    },
    async status(account) {
      return statusOf(entries.get(account))
    },
  }
}
