import { homedir } from 'node:os'
import { join } from 'node:path'

/**
 * Where scim-console keeps its settings file: SCIM_CONSOLE_DATA_DIR, else the platform's usual
 * per-user config place (the same folder Electron's userData would pick for "scim-console").
 */
export function defaultDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  const explicit = env.SCIM_CONSOLE_DATA_DIR?.trim()
  if (explicit) return explicit
  if (platform === 'win32')
    return join(env.APPDATA || join(home, 'AppData', 'Roaming'), 'scim-console')
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'scim-console')
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), 'scim-console')
}
