/**
 * How the console's own requests (the conformance harness, "replay this user") say who they are,
 * so a backend can keep them apart from the IdP's. Both marks go on every request:
 *
 * - a header, `X-Scim-Console-Run: <runId>` or `X-Scim-Console-Replay: <replayId>`: what the
 *   reference backend reads first (src-server/scim/request-source.ts);
 * - a product token appended to the profile's User-Agent,
 *   `Okta SCIM Client 1.0.0 scim-console-harness/0.1.0 (run 1a2b3c4d)`: the User-Agent still
 *   starts as the IdP's does (the test must look like Okta to a server that sniffs it), and a
 *   hosted backend that logs only User-Agents can still tell the test runs apart.
 */

export const RUN_HEADER = 'X-Scim-Console-Run'
export const REPLAY_HEADER = 'X-Scim-Console-Replay'
export const HARNESS_PRODUCT = 'scim-console-harness'
export const REPLAY_PRODUCT = 'scim-console-replay'

/** Run and replay ids are short tokens; anything else in the header is not trusted as an id. */
export const RUN_ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/

export function consoleTrafficHeaders(opts: {
  kind: 'harness' | 'replay'
  id: string
  version: string
  /** The profile's User-Agent (the IdP's); the console's product token is appended to it. */
  userAgent?: string
}): Record<string, string> {
  const product = opts.kind === 'harness' ? HARNESS_PRODUCT : REPLAY_PRODUCT
  const mark = `${product}/${opts.version} (${opts.kind === 'harness' ? 'run' : 'replay'} ${opts.id})`
  return {
    [opts.kind === 'harness' ? RUN_HEADER : REPLAY_HEADER]: opts.id,
    'User-Agent': opts.userAgent ? `${opts.userAgent} ${mark}` : mark,
  }
}
