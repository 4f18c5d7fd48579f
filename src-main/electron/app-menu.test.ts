import type { MenuItemConstructorOptions } from 'electron'
import { describe, expect, it } from 'vitest'
import { events } from '../../src-shared/contract.ts'
import { aboutPanelOptions, versionLines } from './about-panel.ts'
import { SCREEN_MENU, buildMenuTemplate, screenIds, type ScreenId } from './app-menu.ts'

function build(platform: NodeJS.Platform, isDev = false) {
  const navigated: ScreenId[] = []
  const logs: number[] = []
  const template = buildMenuTemplate({
    platform,
    appName: 'scim-console',
    isDev,
    navigate: (s) => navigated.push(s),
    showLogsFolder: () => logs.push(1),
  })
  return { template, navigated, logs }
}

function submenu(item: MenuItemConstructorOptions | undefined): MenuItemConstructorOptions[] {
  expect(Array.isArray(item?.submenu)).toBe(true)
  return item!.submenu as MenuItemConstructorOptions[]
}

function titles(template: MenuItemConstructorOptions[]): string[] {
  return template.map((m) => m.label ?? m.role ?? '?')
}

function allItems(template: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return template.flatMap((m) => [m, ...(Array.isArray(m.submenu) ? allItems(m.submenu) : [])])
}

function click(item: MenuItemConstructorOptions | undefined): void {
  expect(typeof item?.click).toBe('function')
  ;(item!.click as () => void)()
}

describe('buildMenuTemplate', () => {
  it('has the usual menus, with the app menu first on macOS only', () => {
    expect(titles(build('linux').template)).toEqual(['File', 'Edit', 'View', 'windowMenu', 'help'])
    expect(titles(build('win32').template)).toEqual(['File', 'Edit', 'View', 'windowMenu', 'help'])
    expect(titles(build('darwin').template)).toEqual([
      'scim-console',
      'File',
      'Edit',
      'View',
      'windowMenu',
      'help',
    ])
  })

  it('puts About in the macOS app menu and in Help elsewhere, exactly once', () => {
    const mac = build('darwin').template
    expect(submenu(mac[0]).filter((i) => i.role === 'about')).toHaveLength(1)
    expect(allItems(mac).filter((i) => i.role === 'about')).toHaveLength(1)
    const linux = build('linux').template
    const help = submenu(linux.find((m) => m.role === 'help'))
    expect(help.filter((i) => i.role === 'about')).toEqual([
      { role: 'about', label: 'About scim-console' },
    ])
    expect(allItems(linux).filter((i) => i.role === 'about')).toHaveLength(1)
  })

  it('binds Ctrl/Cmd+1..8 to the eight screens in order and sends the screen id', () => {
    const { template, navigated } = build('linux')
    const view = submenu(template.find((m) => m.label === 'View'))
    const screens = view.filter((i) => i.id?.startsWith('navigate-'))
    expect(screens.map((i) => i.accelerator)).toEqual([
      'CmdOrCtrl+1',
      'CmdOrCtrl+2',
      'CmdOrCtrl+3',
      'CmdOrCtrl+4',
      'CmdOrCtrl+5',
      'CmdOrCtrl+6',
      'CmdOrCtrl+7',
      'CmdOrCtrl+8',
    ])
    for (const item of screens) click(item)
    expect(navigated).toEqual([
      'onboarding',
      'metadata',
      'connection',
      'tokens',
      'conformance',
      'log',
      'sso-log',
      'directory',
    ])
  })

  it('covers every screen the contract names, and sends only payloads the contract accepts', () => {
    expect(SCREEN_MENU.map((s) => s.id).sort()).toEqual([...screenIds].sort())
    for (const id of screenIds) {
      expect(events['app.navigate'].safeParse({ screen: id }).success).toBe(true)
    }
  })

  it('has no accelerator twice on any platform', () => {
    for (const platform of ['darwin', 'linux', 'win32'] as const) {
      const accelerators = allItems(build(platform, true).template)
        .map((i) => i.accelerator)
        .filter((a): a is string => typeof a === 'string')
      expect(new Set(accelerators).size).toBe(accelerators.length)
    }
  })

  it('leaves reload and developer tools out of packaged builds', () => {
    const devRoles = ['reload', 'forceReload', 'toggleDevTools']
    const packaged = allItems(build('linux', false).template).map((i) => i.role)
    const dev = allItems(build('linux', true).template).map((i) => i.role)
    for (const role of devRoles) {
      expect(packaged).not.toContain(role)
      expect(dev).toContain(role)
    }
  })

  it('offers the logs folder from Help', () => {
    const { template, logs } = build('win32')
    click(submenu(template.find((m) => m.role === 'help')).find((i) => i.id === 'show-logs'))
    expect(logs).toEqual([1])
  })

  it('gives the Edit menu the clipboard roles text fields need on macOS', () => {
    const edit = submenu(build('darwin').template.find((m) => m.label === 'Edit'))
    expect(edit.map((i) => i.role).filter(Boolean)).toEqual([
      'undo',
      'redo',
      'cut',
      'copy',
      'paste',
      'pasteAndMatchStyle',
      'delete',
      'selectAll',
    ])
  })
})

describe('aboutPanelOptions', () => {
  const versions = { electron: '45.4.1', chrome: '142.0.1', node: '22.20.0', v8: '14.2.1' }

  it('lists app, Electron, Chrome, Node and V8 versions', () => {
    expect(versionLines('0.1.0', versions)).toEqual([
      'Version 0.1.0',
      'Electron 45.4.1',
      'Chrome 142.0.1',
      'Node 22.20.0',
      'V8 14.2.1',
    ])
  })

  it('puts the runtime versions where each platform shows them', () => {
    const common = { appName: 'scim-console', appVersion: '0.1.0', versions }
    const linux = aboutPanelOptions({ ...common, platform: 'linux' })
    expect(linux).toMatchObject({ applicationName: 'scim-console', applicationVersion: '0.1.0' })
    expect(linux.copyright).toBe('Electron 45.4.1, Chrome 142.0.1, Node 22.20.0, V8 14.2.1')
    for (const platform of ['darwin', 'win32'] as const) {
      const opts = aboutPanelOptions({ ...common, platform })
      expect(opts.credits).toBe('Electron 45.4.1\nChrome 142.0.1\nNode 22.20.0\nV8 14.2.1')
      expect(opts.applicationVersion).toBe('0.1.0')
    }
  })
})
