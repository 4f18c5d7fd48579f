import { AppError } from '../../src-shared/errors.ts'
import { get, isObject, schemasOf } from './check.ts'
import type { HttpCapture, ScimResponse } from './http-capture.ts'
import { LIST_SCHEMA, type Profile } from './profiles.ts'
import { trimTrailingSlashes } from '../../src-shared/text.ts'

/** Throws AppError harness.bad_input for a base URL or token the run cannot use. */
export function validateHarnessInput(input: { baseUrl: string; token: string }): {
  baseUrl: string
  token: string
  hadBearer: boolean
} {
  let url: URL
  try {
    url = new URL(input.baseUrl)
  } catch {
    throw new AppError('harness.bad_input', `"${input.baseUrl}" is not a URL.`, {
      hint: 'Give the SCIM base URL, for example https://app.example.com/scim/v2',
    })
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new AppError('harness.bad_input', `The base URL must be http(s), not ${url.protocol}`, {
      hint: 'Give the SCIM base URL, for example https://app.example.com/scim/v2',
    })
  }
  if (url.search || url.hash) {
    throw new AppError('harness.bad_input', 'The base URL must not carry a query or fragment.', {
      hint: `Use ${url.origin}${url.pathname}`,
    })
  }
  let token = input.token.trim()
  const hadBearer = /^bearer\s+/i.test(token)
  if (hadBearer) token = token.replace(/^bearer\s+/i, '').trim()
  if (token === '') {
    throw new AppError('harness.bad_input', 'The SCIM token is empty.', {
      hint: 'Pass the bearer secret the IdP will use (SCIM_TOKEN, --token-env or --token-stdin).',
    })
  }
  return { baseUrl: trimTrailingSlashes(`${url.origin}${url.pathname}`), token, hadBearer }
}

function notScim(url: string, res: ScimResponse): AppError {
  const type = res.headers.get('content-type') ?? '(no content type)'
  const looksHtml = /html/i.test(type) || /^\s*</.test(res.text)
  return new AppError(
    'scim.not_scim',
    res.status === 404
      ? `GET ${url} answered 404: there is no SCIM /Users endpoint under this base URL.`
      : `GET ${url} answered HTTP ${res.status} ${type}${looksHtml ? ' (an HTML page)' : ''}, not a SCIM ListResponse: this is not a SCIM endpoint.`,
    {
      hint: 'The base URL must be the SCIM root that /Users hangs off, for example https://app.example.com/scim/v2 (without /Users at the end).',
      details: { status: res.status, contentType: type },
    },
  )
}

export type PreflightResult =
  | { kind: 'cancelled' }
  | { kind: 'stop'; error: AppError }
  /** `authStatus` is set when the token was refused (401/403): only auth checks can run. */
  | { kind: 'go'; authStatus: number | undefined }

/** Is there a SCIM endpoint at all, and does the token open it? (the IdP's connection test) */
export async function preflight(http: HttpCapture, profile: Profile): Promise<PreflightResult> {
  const t = profile.connectionTest
  const pre = await http.request({
    method: 'GET',
    path: t.path,
    query: t.query,
    checkId: 'preflight',
  })
  if (pre.error?.code === 'cancelled') return { kind: 'cancelled' }
  if (pre.error) {
    return {
      kind: 'stop',
      error: new AppError(pre.error.code, pre.error.message, {
        hint: 'Check the URL, that the server is running and reachable from this machine, and any proxy or firewall in between.',
      }),
    }
  }
  const authRejected = pre.status === 401 || pre.status === 403
  const looksScim =
    isObject(pre.json) &&
    (schemasOf(pre.json).includes(LIST_SCHEMA) ||
      typeof get(pre.json, 'totalResults') === 'number' ||
      schemasOf(pre.json).some((s) => s.startsWith('urn:ietf:params:scim:')))
  // A 404 to a plain list (no filter: a filter's 404 may be the no-match bug the checks report)
  // means there is no /Users under this base URL, even when the 404 body is a SCIM Error.
  const noUsersEndpoint = pre.status === 404 && t.query.filter === undefined
  if ((!authRejected && pre.status < 500 && !looksScim) || noUsersEndpoint) {
    return { kind: 'stop', error: notScim(http.url(t.path, t.query), pre) }
  }
  return { kind: 'go', authStatus: authRejected ? pre.status : undefined }
}
