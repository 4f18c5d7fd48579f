/**
 * Screen URLs as hash routes: `#/<screen>` for every screen in the navigation, and
 * `#/log/user/<userName>` for one user's story in the provisioning log. Hash routes because the
 * desktop app loads a file-like `app://` URL and the web host serves one page; the web host's
 * per-run token also arrives in the fragment (`#token=…`), which is not a route and is taken out
 * first (web-transport.ts).
 */

export interface HashRoute {
  screen: string
  /** The user whose story is open (the log screen only). */
  user?: string
}

/** The route a hash names, or null when it names no known screen (an empty hash, a token). */
export function parseHashRoute(hash: string, screens: readonly string[]): HashRoute | null {
  const m = /^#\/([^/?#]+)(?:\/user\/(.+))?$/.exec(hash)
  if (!m || !screens.includes(m[1]!)) return null
  const screen = m[1]!
  if (m[2] === undefined || screen !== 'log') return { screen }
  try {
    const user = decodeURIComponent(m[2])
    return user.trim() ? { screen, user } : { screen }
  } catch {
    // A hand-edited, badly escaped address: the screen still opens.
    return { screen }
  }
}

export function formatHashRoute(route: HashRoute): string {
  return route.user !== undefined && route.screen === 'log'
    ? `#/log/user/${encodeURIComponent(route.user)}`
    : `#/${route.screen}`
}
