import { chmod, mkdir, stat } from 'node:fs/promises'
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'

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

/** The files the console itself writes at the top of its data folder. */
export const PRIVATE_FILES = ['settings.json', 'onboarding.json'] as const

/**
 * Makes the data folder private to this user: created 0700, and an existing one (from an older
 * version, or made with a loose umask) tightened to 0700 when this user owns it; the console's
 * own files in it tightened to 0600. It names the backends someone administers and their
 * onboarding state. Only those files are touched, so a folder chosen with SCIM_CONSOLE_DATA_DIR
 * that holds other things keeps them as they are; the home folder itself is never changed.
 * Windows has ACLs, not modes: nothing to do there.
 */
export async function ensurePrivateDataDir(
  dir: string,
  platform: NodeJS.Platform = process.platform,
): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 })
  if (platform === 'win32' || typeof process.getuid !== 'function') return
  const uid = process.getuid()
  const folder = await stat(dir)
  if (folder.uid === uid && (folder.mode & 0o077) !== 0 && resolve(dir) !== resolve(homedir())) {
    await chmod(dir, 0o700)
  }
  for (const name of PRIVATE_FILES) {
    const file = join(dir, name)
    const s = await stat(file).catch(() => undefined)
    if (s?.isFile() && s.uid === uid && (s.mode & 0o077) !== 0) await chmod(file, 0o600)
  }
}
