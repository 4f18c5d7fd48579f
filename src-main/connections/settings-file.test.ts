import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { AppError } from '../../src-shared/errors.ts'
import { readSettings, settingsPath, writeSettings } from './settings-file.ts'

let dataDir: string
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'scim-console-settings-'))
})
afterEach(() => rmSync(dataDir, { recursive: true, force: true }))

async function invalid(): Promise<AppError> {
  const err = await readSettings(dataDir).catch((e: unknown) => e)
  expect(err).toBeInstanceOf(AppError)
  expect((err as AppError).code).toBe('settings.invalid')
  expect((err as AppError).message).toContain(settingsPath(dataDir))
  return err as AppError
}

describe('settings file', () => {
  it('reads a missing file as empty settings', async () => {
    expect(await readSettings(dataDir)).toEqual({ version: 1, connections: [] })
  })

  it('writes atomically, privately, and keeps keys it does not know', async () => {
    writeFileSync(settingsPath(dataDir), JSON.stringify({ version: 1, theme: 'dark' }))
    const settings = await readSettings(dataDir)
    await writeSettings(dataDir, {
      ...settings,
      connections: [{ name: 'prod', adminBaseUrl: 'https://scim.example.com/admin/v1' }],
    })
    const onDisk = JSON.parse(readFileSync(settingsPath(dataDir), 'utf8'))
    expect(onDisk.theme).toBe('dark')
    expect(onDisk.connections).toEqual([
      { name: 'prod', adminBaseUrl: 'https://scim.example.com/admin/v1' },
    ])
    expect(readdirSync(dataDir)).toEqual(['settings.json'])
    expect(statSync(settingsPath(dataDir)).mode & 0o077).toBe(0)
  })

  it('creates the data folder when it does not exist', async () => {
    const nested = join(dataDir, 'a', 'b')
    await writeSettings(nested, { version: 1, connections: [] })
    expect((await readSettings(nested)).connections).toEqual([])
  })

  it('names the file when it is not JSON', async () => {
    writeFileSync(settingsPath(dataDir), '{ "connections": [')
    expect((await invalid()).message).toMatch(/not JSON/)
  })

  it('names the field that is wrong', async () => {
    writeFileSync(
      settingsPath(dataDir),
      JSON.stringify({
        connections: [
          { name: 'ok', adminBaseUrl: 'https://a.example/admin/v1' },
          { name: 'x', adminBaseUrl: 'not a url' },
        ],
      }),
    )
    expect((await invalid()).message).toContain('connections[1].adminBaseUrl')
  })

  it('refuses an admin key pasted into the file instead of reading a secret from disk', async () => {
    const before = JSON.stringify({
      connections: [{ name: 'prod', adminBaseUrl: 'https://a.example/admin/v1', adminKey: 'k' }],
    })
    writeFileSync(settingsPath(dataDir), before)
    expect((await invalid()).message).toContain('connections[0]')
    expect(readFileSync(settingsPath(dataDir), 'utf8')).toBe(before)
  })

  it('refuses an unknown secret store choice', async () => {
    writeFileSync(settingsPath(dataDir), JSON.stringify({ secretStore: 'plaintext' }))
    expect((await invalid()).message).toContain('secretStore')
  })
})
