import { fetch as undiciFetch, type Agent } from 'undici'
import { AppError } from '../../src-shared/errors.ts'
import { ADDRESS_CLASS_LABEL, urlNamesLoopback } from '../../src-domain/net/address-policy.ts'
import {
  checkDestination,
  type HostLookup,
  type ResolvedAddress,
} from '../../src-domain/net/checked-destination.ts'
import { pinnedAgent } from '../../src-domain/net/pinned-agent.ts'

export interface FetchOptions {
  /**
   * A fetch that honours undici's `dispatcher` init option, for tests of the fetch layer. The
   * default, and what passing the global fetch gets, is undici's own fetch.
   */
  fetch?: typeof fetch
  timeoutMs: number
  maxBytes: number
  maxRedirects?: number
  /** DNS, all addresses of a host; tests inject a fake resolver (the only fake in those tests). */
  lookup?: HostLookup
  /** Test-only: addresses treated as public so a server on 127.0.0.1 can stand in for an IdP. */
  testOnlyPublicAddresses?: readonly string[]
  /** Test-only: the CA of a test server's self-signed certificate. */
  testOnlyCa?: string
}

export type FetchedDocument =
  | { tooLarge: false; bytes: Uint8Array; contentType: string; finalUrl: string }
  | { tooLarge: true; bytesRead: number; finalUrl: string }

const PASTE_HINT =
  'Download the metadata in a browser and drop the file here, or paste its XML (in Okta: SAML app > Sign On > View IdP metadata).'

/**
 * Only https, or http to this machine: metadata fetched in clear text could be swapped on the
 * way, and http to other hosts is how a local app gets turned against an intranet.
 */
export function checkMetadataUrl(raw: string, base?: URL): URL {
  let url: URL
  try {
    url = new URL(raw, base)
  } catch {
    throw new AppError('network.forbidden_url', `"${raw.slice(0, 200)}" is not a valid URL.`, {
      hint: 'Give the full metadata URL starting with https://, or a file path.',
    })
  }
  if (url.username !== '' || url.password !== '') {
    throw new AppError(
      'network.forbidden_url',
      'Metadata URLs with a user name or password are not fetched.',
      {
        hint: 'Remove the credentials from the URL; if the metadata needs a sign-in, download it in a browser and drop the file here.',
      },
    )
  }
  if (url.protocol === 'https:') return url
  if (url.protocol === 'http:' && urlNamesLoopback(url)) return url
  if (url.protocol === 'http:') {
    throw new AppError(
      'network.forbidden_url',
      `Refusing to fetch metadata over plain HTTP from ${url.host}.`,
      {
        hint: `Use the https:// address of the metadata, or ${PASTE_HINT.charAt(0).toLowerCase()}${PASTE_HINT.slice(1)}`,
      },
    )
  }
  throw new AppError(
    'network.forbidden_url',
    `URLs with the ${url.protocol} scheme cannot be fetched.`,
    {
      hint: 'Only https:// URLs (or http:// to this machine) are fetched. For a file, give its path.',
    },
  )
}

const REDIRECT_STATUS = new Set([301, 302, 303, 307, 308])

/**
 * Resolves the host and refuses internal addresses: a URL naming another host must resolve only
 * to public addresses (no 169.254.169.254, 10/8, fd00::/8...), a URL naming this machine only to
 * loopback. What is checked is what the connection is pinned to.
 */
async function checkedAddresses(url: URL, opts: FetchOptions): Promise<ResolvedAddress[]> {
  let check
  try {
    check = await checkDestination(url, {
      ...(opts.lookup ? { lookup: opts.lookup } : {}),
      ...(opts.testOnlyPublicAddresses
        ? { testOnlyPublicAddresses: opts.testOnlyPublicAddresses }
        : {}),
    })
  } catch (err) {
    throw networkError(err, url, false, opts.timeoutMs)
  }
  if (check.ok) return check.addresses
  const host = url.hostname
  const via = check.address === host.replace(/^\[|\]$/g, '') ? '' : ` (${host} resolves to it)`
  throw new AppError(
    'network.forbidden_url',
    check.urlIsLoopback
      ? `Refusing to fetch metadata from ${check.address}${via}: a URL naming this machine must resolve to a loopback address, and this is ${ADDRESS_CLASS_LABEL[check.addressClass]}.`
      : `Refusing to fetch metadata from ${check.address}${via}: it is ${ADDRESS_CLASS_LABEL[check.addressClass]}, and metadata URLs are fetched only from public addresses.`,
    {
      hint: `Fetching internal addresses on a URL from elsewhere is how an app gets turned against its network. For an IdP on your intranet, ${PASTE_HINT.charAt(0).toLowerCase()}${PASTE_HINT.slice(1)} For an IdP on this machine, use http://localhost or http://127.0.0.1.`,
      details: { address: check.address, addressClass: check.addressClass },
    },
  )
}

/**
 * Fetches a metadata document: every hop's URL and resolved addresses checked, the connection
 * pinned to those addresses, https never followed to http, manual redirects (at most 3), a size
 * cap, a deadline.
 */
export async function fetchMetadataDocument(
  rawUrl: string,
  opts: FetchOptions,
): Promise<FetchedDocument> {
  const maxRedirects = opts.maxRedirects ?? 3
  // The global fetch may come from an older undici bundled with the runtime (Electron's Node)
  // than the Agent that pins the address: undici's own fetch is the one that Agent is built for.
  const doFetch =
    opts.fetch && opts.fetch !== globalThis.fetch
      ? opts.fetch
      : (undiciFetch as unknown as typeof fetch)
  let url = checkMetadataUrl(rawUrl)
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(), opts.timeoutMs)
  const agents: Agent[] = []
  try {
    for (let hop = 0; ; hop++) {
      const addresses = await checkedAddresses(url, opts)
      const agent = pinnedAgent(addresses, { ca: opts.testOnlyCa })
      agents.push(agent)
      let res: Response
      try {
        res = await doFetch(url, {
          redirect: 'manual',
          signal: controller.signal,
          headers: {
            accept:
              'application/samlmetadata+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1',
          },
          dispatcher: agent,
        } as RequestInit)
      } catch (err) {
        throw networkError(err, url, controller.signal.aborted, opts.timeoutMs)
      }
      if (REDIRECT_STATUS.has(res.status)) {
        await res.body?.cancel().catch(() => undefined)
        const location = res.headers.get('location')
        if (!location) {
          throw new AppError(
            'network.http_status',
            `${url.href} answered ${res.status} without a Location header.`,
            {
              hint: PASTE_HINT,
            },
          )
        }
        if (hop >= maxRedirects) {
          throw new AppError(
            'network.too_many_redirects',
            `${rawUrl} redirected more than ${maxRedirects} times.`,
            {
              hint: `A metadata URL that keeps redirecting usually leads to a sign-in page. ${PASTE_HINT}`,
            },
          )
        }
        const next = checkMetadataUrl(location, url)
        if (url.protocol === 'https:' && next.protocol !== 'https:') {
          throw new AppError(
            'network.forbidden_url',
            `${url.host} redirected from https to plain HTTP (${next.host}); that redirect is not followed.`,
            {
              hint: `A downgrade to http lets anyone on the way swap the metadata. Use the final https:// address, or ${PASTE_HINT.charAt(0).toLowerCase()}${PASTE_HINT.slice(1)}`,
            },
          )
        }
        url = next
        continue
      }
      if (res.status < 200 || res.status > 299) {
        await res.body?.cancel().catch(() => undefined)
        throw httpStatusError(res.status, url)
      }
      const contentType = res.headers.get('content-type') ?? ''
      const declared = Number(res.headers.get('content-length') ?? NaN)
      if (declared > opts.maxBytes) {
        await res.body?.cancel().catch(() => undefined)
        return { tooLarge: true, bytesRead: 0, finalUrl: url.href }
      }
      try {
        return await readCapped(res, opts.maxBytes, url.href, contentType)
      } catch (err) {
        if (err instanceof AppError) throw err
        throw networkError(err, url, controller.signal.aborted, opts.timeoutMs)
      }
    }
  } finally {
    clearTimeout(timer)
    for (const agent of agents) void agent.destroy().catch(() => undefined)
  }
}

async function readCapped(
  res: Response,
  maxBytes: number,
  finalUrl: string,
  contentType: string,
): Promise<FetchedDocument> {
  if (!res.body) return { tooLarge: false, bytes: new Uint8Array(0), contentType, finalUrl }
  const reader = res.body.getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    total += value.byteLength
    if (total > maxBytes) {
      // Stop reading: the rest of an oversized answer is never buffered.
      await reader.cancel().catch(() => undefined)
      return { tooLarge: true, bytesRead: total, finalUrl }
    }
    chunks.push(value)
  }
  return { tooLarge: false, bytes: Buffer.concat(chunks), contentType, finalUrl }
}

function httpStatusError(status: number, url: URL): AppError {
  const reason =
    status === 401 || status === 403
      ? 'The metadata URL needs a signed-in session or is not public.'
      : status === 404
        ? 'Nothing is published at this address; the app or its metadata link may have changed.'
        : status >= 500
          ? 'The server had an error; try again later.'
          : 'The server refused the request.'
  return new AppError('network.http_status', `${url.href} answered HTTP ${status}. ${reason}`, {
    hint: PASTE_HINT,
    details: { status },
  })
}

function networkError(err: unknown, url: URL, aborted: boolean, timeoutMs: number): AppError {
  if (aborted) {
    return new AppError(
      'network.timeout',
      `${url.host} did not deliver the metadata within ${timeoutMs / 1000} s.`,
      {
        hint: `Check the URL and your network or proxy. ${PASTE_HINT}`,
      },
    )
  }
  // fetch wraps the socket error in `cause`; a DNS failure from the address check arrives bare.
  const e = err as { code?: unknown; cause?: { code?: unknown } } | undefined
  const raw = e?.cause?.code ?? e?.code
  const code = typeof raw === 'string' ? raw : ''
  if (/CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY/i.test(code)) {
    return new AppError(
      'network.tls',
      `The TLS certificate of ${url.host} could not be verified (${code}).`,
      {
        hint: 'A proxy or the server presents a certificate this machine does not trust. Ask IT about the proxy, or download the metadata in a browser and drop the file here.',
      },
    )
  }
  return new AppError(
    'network.unreachable',
    `Could not reach ${url.host}${code ? ` (${code})` : ''}.`,
    {
      hint: `Check the host name, your network and any proxy. ${PASTE_HINT}`,
    },
  )
}
