import {
  createConnectionService,
  resolveTarget,
  type ResolvedConnection,
} from '../connections/connection-service.ts'
import { defaultDataDir } from '../connections/data-dir.ts'
import { readSettings } from '../connections/settings-file.ts'
import { openSecretStore } from '../secrets/open-secret-store.ts'

/**
 * The backend a CLI command talks to: `--backend URL` with SCIM_CONSOLE_ADMIN_KEY, or a saved
 * `--connection NAME` whose key is in the keychain (the same rules as `log explain`).
 */
export async function resolveCliTarget(
  env: NodeJS.ProcessEnv,
  o: { connection?: string | undefined; backend?: string | undefined },
): Promise<ResolvedConnection> {
  const dataDir = defaultDataDir(env)
  const settings: Partial<Awaited<ReturnType<typeof readSettings>>> =
    o.connection !== undefined ? await readSettings(dataDir) : {}
  return resolveTarget({
    connection: o.connection,
    backend: o.backend,
    env,
    connections: () =>
      createConnectionService({
        dataDir,
        store: openSecretStore({
          env,
          ...(settings.secretStore ? { setting: settings.secretStore } : {}),
        }),
      }),
  })
}
