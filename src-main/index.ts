import { createWriteStream, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { app, BrowserWindow } from 'electron'
import { APP_ORIGIN, registerAppScheme, serveRenderer } from './electron/app-protocol.ts'
import { writeClipboard } from './electron/clipboard.ts'
import { createMainWindow } from './electron/create-window.ts'
import { pickMetadataFile } from './electron/dialogs.ts'
import { registerIpc } from './electron/ipc-registrar.ts'
import { originOf } from './electron/sender-check.ts'
import { EventHub } from './event-hub.ts'
import { createLogger } from './logger.ts'
import { createDispatcher, createHandlers } from './services.ts'

// The Electron front door: wiring only. Services live in src-main/<service>/, the glue in
// src-main/electron/. electron-vite sets ELECTRON_RENDERER_URL only in `electron-vite dev`.
const devUrl = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL
const preloadPath = join(import.meta.dirname, '../preload/index.cjs')
const rendererDir = join(import.meta.dirname, '../renderer')

app.enableSandbox()
registerAppScheme()

app.on('web-contents-created', (_event, contents) => {
  contents.on('will-attach-webview', (e) => e.preventDefault())
  contents.setWindowOpenHandler(() => ({ action: 'deny' }))
})

void app.whenReady().then(() => {
  mkdirSync(app.getPath('logs'), { recursive: true })
  const logFile = createWriteStream(join(app.getPath('logs'), 'main.log'), { flags: 'a' })
  const hub = new EventHub()
  const logger = createLogger({
    write: (line) => logFile.write(line),
    onRecord: (r) => hub.emit('app.log', { time: r.time, level: r.level, msg: r.msg }),
  })
  const dispatch = createDispatcher({
    handlers: createHandlers({
      runtime: `electron ${process.versions.electron}`,
      platform: {
        pickMetadataFile: () => pickMetadataFile(BrowserWindow.getFocusedWindow() ?? undefined),
        writeClipboard,
      },
    }),
    logger,
  })
  serveRenderer(rendererDir)
  const url = devUrl ?? `${APP_ORIGIN}/index.html`
  registerIpc({
    dispatch,
    hub,
    origins: [originOf(url) ?? url],
    trusted: () => BrowserWindow.getAllWindows().map((w) => w.webContents),
  })
  createMainWindow({ preloadPath, url })
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createMainWindow({ preloadPath, url })
  })
  logger.info('app started', { version: app.getVersion() })
})

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit()
})
