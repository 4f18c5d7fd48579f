import type { AboutPanelOptionsOptions } from 'electron'

export interface RuntimeVersions {
  electron: string
  chrome: string
  node: string
  v8: string
}

/** The lines support asks for first: which app build, on which Electron, Chromium, Node and V8. */
export function versionLines(appVersion: string, v: RuntimeVersions): string[] {
  return [
    `Version ${appVersion}`,
    `Electron ${v.electron}`,
    `Chrome ${v.chrome}`,
    `Node ${v.node}`,
    `V8 ${v.v8}`,
  ]
}

/**
 * Options for app.setAboutPanelOptions. Each platform shows different fields (macOS and Windows
 * show `credits`, Linux does not), so the runtime versions go into a field every platform shows.
 */
export function aboutPanelOptions(opts: {
  appName: string
  appVersion: string
  versions: RuntimeVersions
  platform: NodeJS.Platform
  iconPath?: string
}): AboutPanelOptionsOptions {
  const lines = versionLines(opts.appVersion, opts.versions)
  const runtime = lines.slice(1).join(', ')
  const base: AboutPanelOptionsOptions = {
    applicationName: opts.appName,
    applicationVersion: opts.appVersion,
    ...(opts.iconPath ? { iconPath: opts.iconPath } : {}),
  }
  if (opts.platform === 'linux') return { ...base, copyright: runtime }
  return { ...base, credits: lines.slice(1).join('\n') }
}
