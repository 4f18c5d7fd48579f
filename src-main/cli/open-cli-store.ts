import { defaultDataDir } from '../connections/data-dir.ts'
import { readSettings } from '../connections/settings-file.ts'
import { openSecretStore } from '../secrets/open-secret-store.ts'
import { isMemoryStore, type SecretStore } from '../secrets/secret-store.ts'
import type { CliIo } from './command.ts'

/**
 * The data folder and the secret store a CLI command works with, as the app would choose them
 * (settings file, then SCIM_CONSOLE_SECRET_STORE). An in-memory store is announced on stderr,
 * since whatever it holds is gone when the command exits.
 */
export async function openCliStore(io: CliIo): Promise<{ dataDir: string; store: SecretStore }> {
  const dataDir = defaultDataDir(io.env)
  const settings = await readSettings(dataDir)
  const store = openSecretStore({
    env: io.env,
    ...(settings.secretStore ? { setting: settings.secretStore } : {}),
  })
  if (isMemoryStore(store)) {
    io.stderr.write(
      'warning: using the in-memory secret store (SCIM_CONSOLE_SECRET_STORE=memory); secrets are lost when this process exits.\n',
    )
  }
  return { dataDir, store }
}
