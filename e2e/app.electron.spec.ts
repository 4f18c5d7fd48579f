import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { _electron as electron, expect, test } from '@playwright/test'

const root = resolve(import.meta.dirname, '..')

/**
 * The Electron binary path, or why there is none. Looked up by hand: `require('electron')` would
 * try to download the binary when it is missing, and these machines have no Electron download.
 */
function electronBinary(): { path: string } | { reason: string } {
  const pkgDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'))
  const pathFile = join(pkgDir, 'path.txt')
  if (!existsSync(pathFile)) return { reason: `no Electron binary (${pathFile} is missing)` }
  const path = join(pkgDir, 'dist', readFileSync(pathFile, 'utf8').trim())
  if (!existsSync(path)) return { reason: `no Electron binary at ${path}` }
  return { path }
}

const binary = electronBinary()
const missing = 'reason' in binary ? binary.reason : undefined
if (missing) {
  console.log(
    `[e2e] Skipping app.electron.spec.ts: ${missing}. Install Electron's binary to run it.`,
  )
}

test.describe('Electron app', () => {
  test.skip(missing !== undefined, `Electron cannot launch here: ${missing}`)

  test('opens the window with the metadata screen and the contract api', async () => {
    const app = await electron.launch({
      executablePath: 'path' in binary ? binary.path : '',
      args: [resolve(root, 'out/main/index.js')],
    })
    const window = await app.firstWindow()
    await expect(window.getByTestId('metadata-screen')).toBeVisible()
    expect(
      await window.evaluate(() => Object.keys((window as unknown as { api: object }).api).sort()),
    ).toContain('metadata.inspect')
    expect(await window.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe(
      'undefined',
    )
    await app.close()
  })
})
