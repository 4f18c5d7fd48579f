/**
 * Okta's and Entra's provisioning and SAML run in their clouds: they call the SCIM base URL and
 * post to the ACS URL from the internet. A URL on this machine or on a private network works for
 * a local test (the embedded backend is on 127.0.0.1) but not once pasted into the IdP, so every
 * place that hands such a URL to the admin says so, with the fix.
 */

export type Reach = 'public' | 'loopback' | 'private'

/** Where the IdP's cloud would have to connect to reach `url`'s host (names are taken as public). */
export function reachOf(url: string): Reach {
  let host: string
  try {
    host = new URL(url).hostname.toLowerCase()
  } catch {
    return 'public'
  }
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1)
  if (host === 'localhost' || host.endsWith('.localhost') || host === '::1') return 'loopback'
  const v4 = host.split('.')
  if (v4.length === 4 && v4.every((p) => /^\d{1,3}$/.test(p))) {
    const [a, b] = v4.map(Number) as [number, number]
    if (a === 127) return 'loopback'
    if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return 'private'
    if (a === 169 && b === 254) return 'private'
  }
  if (/^f[cd][0-9a-f]{2}:/.test(host) || /^fe80:/.test(host)) return 'private'
  return 'public'
}

/** The warning for a URL the admin is told to paste into the IdP, or null when the cloud can reach it. */
export function cloudReachabilityWarning(url: string, what: string): string | null {
  const reach = reachOf(url)
  if (reach === 'public') return null
  const where = reach === 'loopback' ? 'this computer' : 'a private network'
  return `This ${what} points at ${where}: fine for a local test, but Okta’s and Entra’s clouds cannot reach it. Give the IdP the backend’s public https address (a hosted backend, or the reference backend started with --public-url behind your reverse proxy).`
}
