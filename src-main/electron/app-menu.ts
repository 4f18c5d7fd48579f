import type { MenuItemConstructorOptions } from 'electron'
import { events, type EventPayload } from '../../src-shared/contract.ts'

export type ScreenId = EventPayload<'app.navigate'>['screen']

/** View menu order and labels; the ids come from the contract so a renamed screen fails to compile. */
export const SCREEN_MENU: readonly { id: ScreenId; label: string }[] = [
  { id: 'onboarding', label: 'Onboarding' },
  { id: 'metadata', label: 'SSO Metadata' },
  { id: 'connection', label: 'Connection' },
  { id: 'tokens', label: 'SCIM Tokens' },
  { id: 'conformance', label: 'Conformance' },
  { id: 'log', label: 'Provisioning Log' },
  { id: 'sso-log', label: 'Sign-in Log' },
  { id: 'directory', label: 'Directory' },
]

export const screenIds: readonly ScreenId[] = events['app.navigate'].shape.screen.options

export interface MenuOptions {
  platform: NodeJS.Platform
  appName: string
  /** Reload and developer tools only in unpackaged builds: a shipped app has no use for them. */
  isDev: boolean
  navigate(screen: ScreenId): void
  showLogsFolder(): void
}

/**
 * The application menu as data, so its shape is tested without Electron; index.ts hands it to
 * Menu.buildFromTemplate. Standard items use roles so the OS supplies labels, shortcuts and
 * behaviour (the macOS app menu, Services, Hide, the Window menu).
 */
export function buildMenuTemplate(opts: MenuOptions): MenuItemConstructorOptions[] {
  const mac = opts.platform === 'darwin'
  const sep: MenuItemConstructorOptions = { type: 'separator' }
  const about: MenuItemConstructorOptions = { role: 'about', label: `About ${opts.appName}` }

  const appMenu: MenuItemConstructorOptions = {
    label: opts.appName,
    submenu: [
      about,
      sep,
      { role: 'services' },
      sep,
      { role: 'hide' },
      { role: 'hideOthers' },
      { role: 'unhide' },
      sep,
      { role: 'quit' },
    ],
  }
  const fileMenu: MenuItemConstructorOptions = {
    label: 'File',
    submenu: [mac ? { role: 'close' } : { role: 'quit' }],
  }
  const editMenu: MenuItemConstructorOptions = {
    label: 'Edit',
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      sep,
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      ...(mac ? [{ role: 'pasteAndMatchStyle' } as const] : []),
      { role: 'delete' },
      sep,
      { role: 'selectAll' },
    ],
  }
  const screenItems: MenuItemConstructorOptions[] = SCREEN_MENU.map((s, i) => ({
    id: `navigate-${s.id}`,
    label: s.label,
    accelerator: `CmdOrCtrl+${i + 1}`,
    click: () => opts.navigate(s.id),
  }))
  const devItems: MenuItemConstructorOptions[] = opts.isDev
    ? [sep, { role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }]
    : []
  const viewMenu: MenuItemConstructorOptions = {
    label: 'View',
    submenu: [
      ...screenItems,
      ...devItems,
      sep,
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      sep,
      { role: 'togglefullscreen' },
    ],
  }
  const windowMenu: MenuItemConstructorOptions = {
    role: 'windowMenu',
    submenu: mac
      ? [{ role: 'minimize' }, { role: 'zoom' }, sep, { role: 'front' }]
      : [{ role: 'minimize' }, { role: 'close' }],
  }
  const helpMenu: MenuItemConstructorOptions = {
    role: 'help',
    submenu: [
      { id: 'show-logs', label: 'Show Logs Folder', click: () => opts.showLogsFolder() },
      // macOS keeps About in the app menu; elsewhere Help is where people look for it.
      ...(mac ? [] : [sep, about]),
    ],
  }
  return [...(mac ? [appMenu] : []), fileMenu, editMenu, viewMenu, windowMenu, helpMenu]
}
