/**
 * Admin API base URLs whose connection carries the explicit plain-http opt-in, recorded when the
 * connection is resolved. Every admin client built for such a URL (the token and log services
 * build their own) then honours the opt-in without each caller passing it along; a URL never
 * recorded here gets the strict rule.
 */
const optedIn = new Set<string>()

export function recordInsecureHttpOptIn(normalizedAdminBaseUrl: string): void {
  optedIn.add(normalizedAdminBaseUrl)
}

export function forgetInsecureHttpOptIn(normalizedAdminBaseUrl: string): void {
  optedIn.delete(normalizedAdminBaseUrl)
}

export function isInsecureHttpOptedIn(normalizedAdminBaseUrl: string): boolean {
  return optedIn.has(normalizedAdminBaseUrl)
}
