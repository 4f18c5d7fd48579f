import { createWriteStream, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { app, BrowserWindow, dialog, Menu, nativeTheme, shell } from 'electron'
import { aboutPanelOptions } from './about-panel.ts'
import { buildMenuTemplate } from './app-menu.ts'
import { APP_ORIGIN, registerAppScheme, serveRenderer } from './app-protocol.ts'
import { clearClipboardIfEquals, writeClipboard } from './clipboard.ts'
import { createMainWindow } from './create-window.ts'
import { pickMetadataFile } from './dialogs.ts'
import { registerIpc } from './ipc-registrar.ts'
import { backendLogLevel, describeStartupFailure } from './startup-failure.ts'
import { originOf } from './sender-check.ts'
import { backgroundFor } from './window-options.ts'
import { initialWindowState, keepWindowState } from './window-state-keeper.ts'
import { WINDOW_STATE_FILE } from './window-state.ts'
import { createAppServices } from '../app-services.ts'
import type { RendererEvents } from '../renderer-events.ts'
import { createLogger } from '../logger.ts'
import { defaultDataDir } from '../connections/data-dir.ts'
import { EMBEDDED_BACKEND_BUNDLE } from '../../src-server/launcher/embedded-protocol.ts'
import { utilityProcessLauncher } from './embedded-backend.ts'
import { createDispatcher } from '../dispatcher.ts'
import { createHandlers } from '../handlers/index.ts'

// The Electron front door: wiring only. Services live in src-main/<service>/, the glue and its
// tested logic in src-main/electron/. electron-vite sets ELECTRON_RENDERER_URL only in
// `electron-vite dev`.
const devUrl = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL
const preloadPath = join(import.meta.dirname, '../preload/index.cjs')
const rendererDir = join(import.meta.dirname, '../renderer')
// electron-builder copies build/icon.png next to the asar (extraResources); dev runs use the source.
const iconPath = app.isPackaged
  ? join(process.resourcesPath, 'icon.png')
  : join(import.meta.dirname, '../../build/icon.png')

// A second launch (a desktop shortcut clicked twice) hands over to the first and exits: two
// instances would fight over the window-state file and the local provisioning-log index.
if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  start()
}

function start(): void {
  app.enableSandbox()
  registerAppScheme()
  // Follow the OS light/dark setting; the renderer's CSS follows prefers-color-scheme.
  nativeTheme.themeSource = 'system'

  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', (e) => e.preventDefault())
    contents.setWindowOpenHandler(() => ({ action: 'deny' }))
  })

  let mainWindow: BrowserWindow | undefined
  let openMainWindow: (() => Promise<void>) | undefined
  app.on('second-instance', () => {
    // On macOS the app lives on with no window once the last one is closed: open a new one then.
    if (!mainWindow || mainWindow.isDestroyed()) return void openMainWindow?.()
    if (mainWindow.isMinimized()) mainWindow.restore()
    mainWindow.show()
    mainWindow.focus()
  })

  const logPath = (): string => join(app.getPath('logs'), 'main.log')
  void app
    .whenReady()
    .then(() => startApp())
    .catch((err: unknown) => {
      // No window and a held single-instance lock would make every later launch hand over to an
      // invisible process: say what went wrong, then exit non-zero (releasing the lock).
      const failure = describeStartupFailure(err, logPath())
      try {
        process.stderr.write(`${failure.title}\n${failure.body}\n`)
        dialog.showErrorBox(failure.title, failure.body)
      } finally {
        app.exit(failure.exitCode)
      }
    })

  async function startApp(): Promise<void> {
    mkdirSync(app.getPath('logs'), { recursive: true })
    const logFile = createWriteStream(logPath(), { flags: 'a' })
    // The logger exists before the services (the embedded backend logs through it); its
    // records reach the renderer once the services, and so the event bus, are built.
    const late: { events?: RendererEvents } = {}
    const logger = createLogger({
      write: (line) => logFile.write(line),
      onRecord: (r) => late.events?.emit('app.log', { time: r.time, level: r.level, msg: r.msg }),
    })
    const services = await createAppServices({
      dataDir: defaultDataDir(process.env),
      env: process.env,
      osPlatform: process.platform,
      runtime: `electron ${process.versions.electron}`,
      execPath: process.execPath,
      clipboard: { writeText: writeClipboard, clearIfEquals: clearClipboardIfEquals },
      dialogs: {
        pickMetadataFile: () => pickMetadataFile(BrowserWindow.getFocusedWindow() ?? undefined),
      },
      // The sign-in test's login page; sso.openLogin has checked it is the tenant's own URL.
      openExternal: async (url) => {
        const { protocol } = new URL(url)
        if (protocol !== 'http:' && protocol !== 'https:')
          throw new Error(`refused ${protocol} URL`)
        await shell.openExternal(url)
      },
      startEmbedded: utilityProcessLauncher({
        modulePath: join(import.meta.dirname, `${EMBEDDED_BACKEND_BUNDLE}.js`),
        onLog: ({ level, msg, ...fields }) =>
          logger[backendLogLevel(level)](`embedded backend: ${String(msg)}`, fields),
        onUnexpectedExit: (code, stderr) =>
          logger.error('embedded backend exited', { code, stderr }),
      }),
    })
    const hub = services.events
    late.events = hub
    // Quitting waits for the services to close: harness runs clean up, then the embedded backend
    // closes its database (buffered provisioning events are flushed); Electron would otherwise
    // kill its utility process mid-write. Bounded, so a stuck service can delay the quit but
    // never cancel it.
    let quitReady = false
    let closing: Promise<void> | undefined
    app.on('will-quit', (event) => {
      if (quitReady) return
      event.preventDefault()
      closing ??= Promise.race([
        services
          .close()
          .catch((err: unknown) => logger.error('shutdown failed', { error: String(err) })),
        new Promise<void>((resolve) => setTimeout(resolve, 10_000)),
      ]).then(() => {
        quitReady = true
        app.quit()
      })
    })
    const dispatch = createDispatcher({ handlers: createHandlers(services, { logger }), logger })

    app.setAboutPanelOptions(
      aboutPanelOptions({
        appName: app.getName(),
        appVersion: app.getVersion(),
        versions: {
          electron: process.versions.electron,
          chrome: process.versions.chrome,
          node: process.versions.node,
          v8: process.versions.v8,
        },
        platform: process.platform,
        iconPath,
      }),
    )
    Menu.setApplicationMenu(
      Menu.buildFromTemplate(
        buildMenuTemplate({
          platform: process.platform,
          appName: app.getName(),
          isDev: !app.isPackaged,
          navigate: (screen) => hub.emit('app.navigate', { screen }),
          showLogsFolder: () => void shell.openPath(app.getPath('logs')),
        }),
      ),
    )

    serveRenderer(rendererDir)
    const url = devUrl ?? `${APP_ORIGIN}/index.html`
    registerIpc({
      dispatch,
      hub,
      origins: [originOf(url) ?? url],
      trusted: () => BrowserWindow.getAllWindows().map((w) => w.webContents),
    })

    const statePath = join(app.getPath('userData'), WINDOW_STATE_FILE)
    openMainWindow = async (): Promise<void> => {
      const state = await initialWindowState(statePath, (reason) =>
        logger.warn('window state ignored', { reason }),
      )
      const win = createMainWindow({
        preloadPath,
        url,
        state,
        dark: nativeTheme.shouldUseDarkColors,
      })
      keepWindowState(win, statePath, (err) =>
        logger.warn('window state not saved', { error: String(err) }),
      )
      mainWindow = win
    }
    nativeTheme.on('updated', () => {
      const bg = backgroundFor(nativeTheme.shouldUseDarkColors)
      for (const w of BrowserWindow.getAllWindows()) w.setBackgroundColor(bg)
    })
    await openMainWindow()
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) void openMainWindow?.()
    })
    logger.info('app started', { version: app.getVersion() })
  }

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
}
