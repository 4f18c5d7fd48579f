import { useSecretStoreInfo } from '../use-connections.ts'

/** Always visible while secrets live only in this process: they are gone when it exits. */
export function MemoryStoreBanner() {
  const info = useSecretStoreInfo()
  if (!info.data?.memoryOnly) return null
  return (
    <div className="memory-banner" role="status" data-testid="memory-store-banner">
      <strong>Secrets are kept in memory only.</strong> Tokens and admin keys vanish when the app
      exits, because the in-memory secret store was chosen (SCIM_CONSOLE_SECRET_STORE=memory or the
      settings file). Unset it to use the OS keychain.
    </div>
  )
}
