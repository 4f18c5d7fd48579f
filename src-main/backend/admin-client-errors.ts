import { AppError } from '../../src-shared/errors.ts'

/**
 * Turns what fetch and the backend say into AppErrors a person can act on. The admin key never
 * appears in these errors: only the URL, the status and the backend's own error body.
 */

const TLS_CODES =
  /^(CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT|ERR_TLS_|ERR_SSL_|EPROTO$|HOSTNAME_MISMATCH|ERR_OSSL)/

function causeCode(err: unknown): string | undefined {
  // undici nests the system error: TypeError('fetch failed', { cause: { code } }), sometimes
  // one level deeper (an AggregateError from happy-eyeballs holding both address attempts).
  let current: unknown = err
  for (let depth = 0; depth < 4 && current; depth++) {
    const code = (current as { code?: unknown }).code
    if (typeof code === 'string' && code !== 'ABORT_ERR') return code
    const nested = (current as { errors?: unknown[] }).errors
    if (Array.isArray(nested) && nested.length > 0) {
      const nestedCode = (nested[0] as { code?: unknown }).code
      if (typeof nestedCode === 'string') return nestedCode
    }
    current = (current as { cause?: unknown }).cause
  }
  return undefined
}

function innermostMessage(err: unknown): string {
  let current: unknown = err
  let message = String(err)
  for (let depth = 0; depth < 4 && current; depth++) {
    const m = (current as { message?: unknown }).message
    if (typeof m === 'string' && m !== '') message = m
    current = (current as { cause?: unknown }).cause
  }
  return message
}

export function networkError(err: unknown, url: string, timeoutMs: number): AppError {
  const name = (err as { name?: unknown })?.name
  if (name === 'TimeoutError') {
    return new AppError(
      'network.timeout',
      `The admin API at ${url} did not answer within ${timeoutMs} ms.`,
      {
        hint: 'Check that the backend is running and not overloaded, and that no proxy or firewall holds the connection open; try again or raise the timeout.',
        details: { url, timeoutMs },
        cause: err,
      },
    )
  }
  const code = causeCode(err)
  if (code !== undefined && TLS_CODES.test(code)) {
    return new AppError('network.tls', `The TLS connection to ${url} failed (${code}).`, {
      hint: 'The backend’s certificate is not trusted for this host name: check the URL’s host, that the certificate is valid and not expired, and that its issuing CA is trusted (for a private CA set NODE_EXTRA_CA_CERTS to its PEM file).',
      details: { url, code },
      cause: err,
    })
  }
  const reason = innermostMessage(err)
  return new AppError(
    'network.unreachable',
    `Could not reach the admin API at ${url} (${code ?? reason}).`,
    {
      hint: 'Check the connection’s admin API URL (scheme, host and port), that the backend is running, and that no firewall or proxy blocks it.',
      details: { url, code: code ?? null, reason },
      cause: err,
    },
  )
}

interface ApiErrorBody {
  code?: unknown
  message?: unknown
  hint?: unknown
  details?: unknown
}

export function httpError(response: Response, body: unknown, operation: string): AppError {
  const status = response.status
  const url = response.url
  const api = (body !== null && typeof body === 'object' ? body : {}) as ApiErrorBody
  const backendMessage =
    typeof api.message === 'string' ? api.message.replace(/(?<!\.)\.+$/, '') : undefined
  const backendHint = typeof api.hint === 'string' ? api.hint : undefined
  const details = {
    status,
    url,
    operation,
    backendCode: typeof api.code === 'string' ? api.code : null,
    ...(api.details === undefined ? {} : { backend: api.details }),
  }
  if (status === 401) {
    return new AppError(
      'backend.unauthorized',
      `The admin API at ${url} refused the admin key (401).`,
      {
        hint: 'The admin key is wrong or was replaced on the backend. Update the connection’s admin key (scim-console connection add --name NAME --backend URL --replace, with the key in SCIM_CONSOLE_ADMIN_KEY), or set SCIM_CONSOLE_ADMIN_KEY when using --backend.',
        details,
      },
    )
  }
  if (status >= 500) {
    return new AppError(
      'backend.unavailable',
      `The backend failed while handling ${operation} (${status})${backendMessage ? `: ${backendMessage}` : ''}.`,
      {
        hint:
          backendHint ??
          'The backend has a problem of its own: try again shortly, and check the backend’s logs if it keeps failing.',
        details,
      },
    )
  }
  if (status >= 300 && status < 400) {
    const location = response.headers.get('location')
    return new AppError(
      'backend.http_error',
      `The admin API at ${url} redirects (${status}${location ? ` to ${location}` : ''}).`,
      {
        // Following it would send the admin key to wherever the redirect points.
        hint: 'Save the connection with the final admin API URL (for example https:// instead of http://, or with the /admin/v1 path) so the admin key is sent only where you meant.',
        details: { ...details, location },
      },
    )
  }
  return new AppError(
    'backend.http_error',
    `The admin API refused ${operation} (${status})${backendMessage ? `: ${backendMessage}` : ''}.`,
    {
      hint:
        backendHint ??
        (status === 404
          ? 'Check the tenant or token id, and that the connection’s URL ends with the admin API path (for example /admin/v1).'
          : 'Check the request and the backend’s admin API version.'),
      details,
    },
  )
}

export function notJsonError(url: string, operation: string, cause: unknown): AppError {
  return new AppError(
    'backend.http_error',
    `The server at ${url} answered ${operation} with something that is not the admin API’s JSON.`,
    {
      hint: 'The URL probably points at another service or a web page: use the admin API base URL, which ends with /admin/v1 on the reference backend.',
      details: { url, operation },
      cause,
    },
  )
}
