import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { _electron as electron, expect, test, type ElectronApplication } from '@playwright/test'
import { windowStateSchema, WINDOW_STATE_FILE } from '../src-main/electron/window-state.ts'

const root = resolve(import.meta.dirname, '..')
// The app is launched as `electron .` from the project folder, so Electron reads package.json
// (`main`, name, version) exactly as a packaged build does, instead of running a bare file as
// "Electron" with Electron's own version.
const mainEntry = resolve(root, 'out/main/index.js')

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
  if (!existsSync(mainEntry)) return { reason: `${mainEntry} is missing: run npm run build first` }
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

  // A fresh profile and data folder per test, and the in-memory secret store: the specs never
  // read or write the person's ~/.config/scim-console or their keychain.
  let userData: string
  let app: ElectronApplication | undefined
  const args = (): string[] => ['.', `--user-data-dir=${userData}`]
  const env = (extra?: Record<string, string>): Record<string, string> => ({
    ...(process.env as Record<string, string>),
    SCIM_CONSOLE_DATA_DIR: join(userData, 'data'),
    SCIM_CONSOLE_SECRET_STORE: 'memory',
    ...extra,
  })
  const launch = (extra?: Record<string, string>): Promise<ElectronApplication> =>
    electron.launch({
      executablePath: 'path' in binary ? binary.path : '',
      args: args(),
      cwd: root,
      env: env(extra),
    })

  test.beforeEach(() => {
    userData = mkdtempSync(join(tmpdir(), 'scim-console-e2e-'))
  })
  test.afterEach(async () => {
    await app?.close()
    app = undefined
    rmSync(userData, { recursive: true, force: true })
  })

  test('runs as the app (name and version from package.json), from app://, with the contract api', async () => {
    app = await launch()
    const window = await app.firstWindow()
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      name: string
      version: string
    }
    expect(await app.evaluate(({ app: a }) => [a.getName(), a.getVersion()])).toEqual([
      pkg.name,
      pkg.version,
    ])
    expect(window.url()).toMatch(/^app:\/\/renderer\//)
    await expect(window.getByTestId('onboarding-screen')).toBeVisible()
    expect(
      await window.evaluate(() => Object.keys((window as unknown as { api: object }).api).sort()),
    ).toContain('metadata.inspect')
    expect(await window.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe(
      'undefined',
    )
  })

  test('View > screen items send app.navigate to the renderer', async () => {
    app = await launch()
    const window = await app.firstWindow()
    await expect(window.getByTestId('onboarding-screen')).toBeVisible()
    await window.evaluate(() => {
      const w = window as unknown as {
        api: { on(e: string, l: (p: unknown) => void): () => void }
        navigated: unknown[]
      }
      w.navigated = []
      w.api.on('app.navigate', (p) => w.navigated.push(p))
    })
    const accelerator = await app.evaluate(({ Menu }) => {
      const item = Menu.getApplicationMenu()?.getMenuItemById('navigate-tokens')
      item?.click()
      return item?.accelerator
    })
    expect(accelerator).toBe('CmdOrCtrl+3')
    await expect
      .poll(() => window.evaluate(() => (window as unknown as { navigated: unknown[] }).navigated))
      .toEqual([{ screen: 'tokens' }])
  })

  test('remembers the window bounds in userData across launches', async () => {
    app = await launch()
    const first = await app.firstWindow()
    await expect(first.getByTestId('onboarding-screen')).toBeVisible()
    // Bounds that fit any work area (CI displays can be smaller than 1000x700).
    const wanted = await app.evaluate(({ BrowserWindow, screen }) => {
      const area = screen.getPrimaryDisplay().workArea
      const size = {
        width: Math.max(400, Math.min(1000, area.width - 40)),
        height: Math.max(300, Math.min(700, area.height - 40)),
      }
      BrowserWindow.getAllWindows()[0]?.setBounds({ x: area.x + 10, y: area.y + 10, ...size })
      return size
    })
    await app.close()
    app = undefined
    const saved = windowStateSchema.parse(
      JSON.parse(readFileSync(join(userData, WINDOW_STATE_FILE), 'utf8')),
    )
    expect(saved.bounds).toMatchObject(wanted)

    app = await launch()
    await app.firstWindow()
    const bounds = await app.evaluate(({ BrowserWindow }) =>
      BrowserWindow.getAllWindows()[0]?.getBounds(),
    )
    expect(bounds).toMatchObject(wanted)
  })

  test('starts the embedded backend in a utility process, serves SCIM, and stops it on quit', async () => {
    // A data folder of its own (no saved connection, so the embedded backend starts) and the
    // memory secret store chosen explicitly, as a person would on a machine without a keychain.
    app = await launch()
    const window = await app.firstWindow()
    type Envelope<T> = { ok: true; value: T } | { ok: false; error: { code: string } }
    const result = await window.evaluate(async () => {
      const api = (window as unknown as { api: Record<string, (i: unknown) => Promise<unknown>> })
        .api
      const list = (await api['connections.list']!({})) as Envelope<{
        connections: Array<{ name: string; embedded: boolean; defaultTenantId: string | null }>
        defaultConnection: string | null
      }>
      if (!list.ok) return { list }
      const connection = list.value.defaultConnection!
      const tenantId = list.value.connections.find((c) => c.name === connection)!.defaultTenantId!
      const target = { connection, tenantId }
      const created = (await api['tokens.create']!({ ...target, label: 'e2e' })) as Envelope<{
        secret: string
      }>
      const tokens = (await api['tokens.list']!(target)) as Envelope<{ scimBaseUrl: string }>
      return { list, created, tokens }
    })
    expect(result.list.ok, JSON.stringify(result.list)).toBe(true)
    if (!result.list.ok || !result.created?.ok || !result.tokens?.ok) {
      throw new Error(`embedded backend calls failed: ${JSON.stringify(result)}`)
    }
    expect(result.list.value.connections).toContainEqual(
      expect.objectContaining({ name: 'embedded', embedded: true }),
    )
    const { scimBaseUrl } = result.tokens.value
    expect(scimBaseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/scim\/v2$/)
    const users = await fetch(`${scimBaseUrl}/Users?count=1`, {
      headers: { Authorization: `Bearer ${result.created.value.secret}` },
    })
    expect(users.status).toBe(200)

    // A utility process, not a RunAsNode child: this is what still works with the fuse off.
    const processes = await app.evaluate(({ app: electronApp }) =>
      electronApp.getAppMetrics().map((m) => ({ type: m.type, name: m.name, pid: m.pid })),
    )
    const backend = processes.find(
      (p) => p.type === 'Utility' && p.name === 'scim-console embedded backend',
    )
    expect(backend, JSON.stringify(processes)).toBeDefined()

    await app.close()
    app = undefined
    await expect(fetch(`${scimBaseUrl}/Users`)).rejects.toThrow()
    // A clean quit leaves no child behind.
    expect(() => process.kill(backend!.pid, 0)).toThrow(/ESRCH/)
  })

  test('a second launch hands over to the first and exits', async () => {
    app = await launch()
    await app.firstWindow()
    // The safety timeout only stops a hung second instance; the assertion is on its exit.
    const second = spawnSync('path' in binary ? binary.path : '', args(), {
      cwd: root,
      env: env(),
      timeout: 30_000,
    })
    expect(second.status).toBe(0)
    expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1)
  })
})
