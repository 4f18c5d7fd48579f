import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { defaultDataDir, ensurePrivateDataDir } from './data-dir.ts'
import { writeSettings } from './settings-file.ts'

it('uses SCIM_CONSOLE_DATA_DIR first, then the platform’s per-user config folder', () => {
  expect(defaultDataDir({ SCIM_CONSOLE_DATA_DIR: '/tmp/x' }, 'linux', '/home/a')).toBe('/tmp/x')
  expect(defaultDataDir({}, 'linux', '/home/a')).toBe(join('/home/a', '.config', 'scim-console'))
  expect(defaultDataDir({ XDG_CONFIG_HOME: '/cfg' }, 'linux', '/home/a')).toBe(
    join('/cfg', 'scim-console'),
  )
  expect(defaultDataDir({}, 'darwin', '/Users/a')).toBe(
    join('/Users/a', 'Library', 'Application Support', 'scim-console'),
  )
  expect(
    defaultDataDir({ APPDATA: 'C:\\Users\\a\\AppData\\Roaming' }, 'win32', 'C:\\Users\\a'),
  ).toBe(join('C:\\Users\\a\\AppData\\Roaming', 'scim-console'))
})

describe('ensurePrivateDataDir (real files)', () => {
  const posix = process.platform !== 'win32'
  if (!posix) console.log('data folder mode tests skipped: Windows uses ACLs, not modes')
  let root: string
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'scim-console-datadir-'))
  })
  afterEach(() => rmSync(root, { recursive: true, force: true }))
  const mode = (path: string) => statSync(path).mode & 0o777

  it.skipIf(!posix)('creates the folder 0700, parents included, whatever the umask', async () => {
    const old = process.umask(0o000)
    try {
      await ensurePrivateDataDir(join(root, 'a', 'scim-console'))
    } finally {
      process.umask(old)
    }
    expect(mode(join(root, 'a', 'scim-console'))).toBe(0o700)
    expect(mode(join(root, 'a'))).toBe(0o700)
  })

  it.skipIf(!posix)(
    'tightens an existing loose folder and its own files, nothing else',
    async () => {
      const dir = join(root, 'scim-console')
      mkdirSync(dir, { mode: 0o755 })
      chmodSync(dir, 0o755)
      writeFileSync(join(dir, 'settings.json'), '{}', { mode: 0o644 })
      writeFileSync(join(dir, 'onboarding.json'), '{}', { mode: 0o664 })
      writeFileSync(join(dir, 'notes.sh'), 'echo hi', { mode: 0o755 })
      chmodSync(join(dir, 'settings.json'), 0o644)
      chmodSync(join(dir, 'onboarding.json'), 0o664)
      chmodSync(join(dir, 'notes.sh'), 0o755)
      await ensurePrivateDataDir(dir)
      expect(mode(dir)).toBe(0o700)
      expect(mode(join(dir, 'settings.json'))).toBe(0o600)
      expect(mode(join(dir, 'onboarding.json'))).toBe(0o600)
      expect(mode(join(dir, 'notes.sh'))).toBe(0o755)
    },
  )

  it.skipIf(!posix)('writes settings.json 0600 in a 0700 folder', async () => {
    const dir = join(root, 'fresh')
    await writeSettings(dir, { version: 1, connections: [] })
    expect(mode(dir)).toBe(0o700)
    expect(mode(join(dir, 'settings.json'))).toBe(0o600)
  })
})
