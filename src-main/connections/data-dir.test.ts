import { join } from 'node:path'
import { expect, it } from 'vitest'
import { defaultDataDir } from './data-dir.ts'

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
