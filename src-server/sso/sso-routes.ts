import { timingSafeEqual } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { IdpMetadata } from '../../src-shared/metadata.ts'
import { ADMIN_KEY_SETTING } from '../admin/admin-settings.ts'
import { readBody } from '../http/body.ts'
import { sha256Hex } from '../store/hash.ts'
import type { ResourceStore } from '../store/resources.ts'
import type { TenantStore } from '../store/tenants.ts'
import { authnRequestRedirect, spMetadataXml, spUrls } from './authn-request.ts'
import { PendingRequests } from './pending-requests.ts'
import { messagePage, signInPage } from './sign-in-page.ts'
import { SsoEventStore, type NewSsoEvent, type SsoEvent } from './sso-event-store.ts'

export interface SsoDeps {
  tenants: TenantStore
  resources: ResourceStore
  log: (entry: Record<string, unknown>) => void
}

/** A form post carrying a SAMLResponse is a few KB; this leaves room for large attribute sets. */
const ACS_BODY_LIMIT = 2 * 1024 * 1024
const SSO_PATH = /^\/sso\/([^/]+)\/saml\/(login|acs|metadata)$/
const EVENTS_PATH = /^\/admin\/v1\/tenants\/([^/]+)\/sso-events$/

/** True for the paths this handler serves: the SP endpoints and the admin API's SSO events. */
export function isSsoPath(pathname: string): boolean {
  return SSO_PATH.test(pathname) || EVENTS_PATH.test(pathname)
}

/**
 * The reference backend as a SAML SP: SP-initiated login (Redirect binding), the ACS (HTTP-POST
 * binding, IdP-initiated too), SP metadata, and every attempt recorded as an SSO event.
 */
export function createSsoHandler(deps: SsoDeps) {
  const store = new SsoEventStore(deps.tenants.database)
  const pending = new PendingRequests()

  function send(res: ServerResponse, status: number, type: string, body: string): void {
    res.writeHead(status, {
      'Content-Type': type,
      'Cache-Control': 'no-store',
      'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
      'X-Content-Type-Options': 'nosniff',
    })
    res.end(body)
  }
  const json = (res: ServerResponse, status: number, body: unknown): void =>
    send(res, status, 'application/json; charset=utf-8', JSON.stringify(body))
  const html = (res: ServerResponse, status: number, body: string): void =>
    send(res, status, 'text/html; charset=utf-8', body)

  function idpOf(tenantId: string): IdpMetadata | null {
    return (deps.tenants.getSso(tenantId)?.idp as IdpMetadata | undefined) ?? null
  }

  function login(res: ServerResponse, url: URL, tenantId: string, origin: string): void {
    const idp = idpOf(tenantId)
    const sso =
      idp?.ssoServices.find((s) => s.bindingName === 'HTTP-Redirect') ??
      idp?.ssoServices.find((s) => s.bindingName === 'HTTP-POST')
    if (!idp || !sso) {
      html(
        res,
        409,
        messagePage(
          'Single sign-on is not set up',
          `Tenant ${tenantId} has no IdP metadata with an SSO URL. Push the IdP metadata first (console: Single sign-on, or PUT /admin/v1/tenants/${tenantId}/sso).`,
          'sso.not_configured',
        ),
      )
      return
    }
    const relayState = url.searchParams.get('RelayState') ?? `${origin}/app/${tenantId}`
    const { id, location } = authnRequestRedirect(
      spUrls(origin, tenantId),
      sso.location,
      relayState,
    )
    pending.add(tenantId, id)
    res.writeHead(302, { Location: location, 'Cache-Control': 'no-store' })
    res.end()
  }

  function scimUserFor(tenantId: string, names: (string | null)[]) {
    for (const value of names) {
      if (!value) continue
      for (const path of ['username', 'emails.value'] as const) {
        const found = deps.resources.usersByEq(tenantId, { path, value })?.[0]
        if (found) {
          return {
            id: found.id,
            userName: String(found.body.userName),
            active: found.body.active !== false,
          }
        }
      }
    }
    return null
  }

  async function acs(
    req: IncomingMessage,
    res: ServerResponse,
    tenantId: string,
    origin: string,
  ): Promise<void> {
    const read = await readBody(req, ACS_BODY_LIMIT)
    if (read.kind !== 'ok') {
      html(
        res,
        read.kind === 'too_large' ? 413 : 400,
        messagePage(
          'Sign-in refused',
          'The form post is too large or was cut off.',
          'saml.too_large',
        ),
      )
      return
    }
    const form = new URLSearchParams(read.text)
    const samlResponse = form.get('SAMLResponse')
    if (samlResponse === null) {
      html(
        res,
        400,
        messagePage('Sign-in refused', 'The post carries no SAMLResponse field.', 'saml.malformed'),
      )
      return
    }
    const relayState = form.get('RelayState')
    const idp = idpOf(tenantId)
    let event: NewSsoEvent
    if (!idp) {
      event = {
        outcome: 'failure',
        reason: 'sso.not_configured',
        message: `Tenant ${tenantId} has no IdP metadata, so no response can be trusted.`,
        hint: 'Push the IdP metadata to the tenant (console: Single sign-on).',
        evidence: {},
        failures: [],
        flow: 'unknown',
        userName: null,
        scimUser: null,
        inResponseTo: null,
        relayState,
        signature: { signed: 'none', certificateSha256: null },
        assertion: null,
        verified: false,
      }
    } else {
      // Loaded on the first response to check (xmldom, xml-crypto): not part of the server's start.
      const { expectationsFromIdp, validateSamlResponse } =
        await import('../../src-domain/saml-response/index.ts')
      const v = validateSamlResponse(
        samlResponse,
        expectationsFromIdp(idp, {
          sp: spUrls(origin, tenantId),
          now: new Date(),
          isPendingRequest: (id) => pending.has(tenantId, id),
          acceptedBefore: (id) => store.acceptedAt(tenantId, id),
          allowIdpInitiated: true,
        }),
      )
      if (v.valid && v.inResponseTo) pending.consume(v.inResponseTo)
      const userName = v.user?.email ?? v.user?.nameId ?? null
      event = {
        outcome: v.valid ? 'success' : 'failure',
        reason: v.reason?.code ?? null,
        message: v.reason?.message ?? `Signed in as ${userName}.`,
        hint: v.reason?.hint ?? null,
        evidence: v.reason?.evidence ?? {},
        failures: v.failures.map((f) => ({ code: f.code, message: f.message })),
        flow: v.assertion ? (v.idpInitiated ? 'idp-initiated' : 'sp-initiated') : 'unknown',
        userName,
        scimUser: scimUserFor(tenantId, [v.user?.nameId ?? null, v.user?.email ?? null]),
        inResponseTo: v.inResponseTo,
        relayState: relayState ?? v.relayState,
        signature: {
          signed: v.signature.signed,
          certificateSha256: v.signature.certificate?.sha256Fingerprint ?? null,
        },
        assertion: v.assertion,
        verified: v.verified,
      }
    }
    const recorded = store.record(tenantId, event)
    const wantsJson = /application\/json/.test(String(req.headers.accept ?? ''))
    const status = recorded.outcome === 'success' ? 200 : 403
    if (wantsJson) json(res, status, recorded)
    else html(res, status, signInPage(recorded))
  }

  function adminKeyMatches(req: IncomingMessage): boolean {
    const header = req.headers.authorization
    const m = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null
    const stored = deps.tenants.getSetting(ADMIN_KEY_SETTING)
    if (!m || !stored) return false
    const a = Buffer.from(sha256Hex(m[1]!), 'hex')
    const b = Buffer.from(stored, 'hex')
    return a.length === b.length && timingSafeEqual(a, b)
  }

  function userNamesFor(tenantId: string, value: string): string[] {
    const names = new Set([value.toLowerCase()])
    for (const path of ['username', 'emails.value', 'externalid', 'id'] as const) {
      for (const u of deps.resources.usersByEq(tenantId, { path, value }) ?? []) {
        if (typeof u.body.userName === 'string') names.add(u.body.userName.toLowerCase())
        const emails = u.body.emails
        if (Array.isArray(emails)) {
          for (const e of emails as { value?: unknown }[]) {
            if (typeof e.value === 'string') names.add(e.value.toLowerCase())
          }
        }
      }
    }
    return [...names]
  }

  function listEvents(req: IncomingMessage, res: ServerResponse, url: URL, tenantId: string): void {
    if (!adminKeyMatches(req)) {
      json(res, 401, {
        code: 'admin.unauthorized',
        message: 'Missing or wrong admin API key.',
        hint: 'Send Authorization: Bearer <admin key>.',
      })
      return
    }
    if (!deps.tenants.getTenant(tenantId)) {
      json(res, 404, {
        code: 'admin.not_found',
        message: `No tenant ${tenantId}.`,
        hint: 'GET /admin/v1/tenants lists the tenants of this server.',
      })
      return
    }
    const q = url.searchParams
    const limit = q.get('limit') ?? '50'
    const cursor = q.get('cursor')
    const user = q.get('user')
    if (
      !/^\d+$/.test(limit) ||
      Number(limit) < 1 ||
      Number(limit) > 500 ||
      (cursor !== null && !/^\d+$/.test(cursor))
    ) {
      json(res, 400, {
        code: 'admin.bad_request',
        message: 'Invalid query parameters: limit is 1 to 500, cursor a sequence number.',
        hint: 'See resources/admin-api.openapi.yaml for the expected shape.',
      })
      return
    }
    json(
      res,
      200,
      store.page(tenantId, {
        limit: Number(limit),
        ...(cursor !== null ? { before: Number(cursor) } : {}),
        ...(user !== null && user.trim() !== ''
          ? { userNames: userNamesFor(tenantId, user.trim()) }
          : {}),
      }),
    )
  }

  return async function handleSso(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    origin: string,
  ): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase()
    const events = EVENTS_PATH.exec(url.pathname)
    if (events) {
      req.resume()
      if (method !== 'GET') {
        res.setHeader('Allow', 'GET')
        json(res, 405, {
          code: 'admin.method_not_allowed',
          message: `${method} is not supported; use GET.`,
        })
        return
      }
      listEvents(req, res, url, safeDecode(events[1]!))
      return
    }
    const m = SSO_PATH.exec(url.pathname)!
    const tenantId = safeDecode(m[1]!)
    const action = m[2]!
    const expected = action === 'acs' ? 'POST' : 'GET'
    if (method !== expected && !(method === 'HEAD' && expected === 'GET')) {
      req.resume()
      res.setHeader('Allow', expected)
      html(res, 405, messagePage('Method not allowed', `${action} takes ${expected}.`, ''))
      return
    }
    if (!deps.tenants.getTenant(tenantId)) {
      req.resume()
      html(
        res,
        404,
        messagePage(
          'No such tenant',
          `No tenant ${tenantId} on this server.`,
          'sso.unknown_tenant',
        ),
      )
      return
    }
    if (action === 'acs') return acs(req, res, tenantId, origin)
    req.resume()
    if (action === 'login') login(res, url, tenantId, origin)
    else
      send(
        res,
        200,
        'application/samlmetadata+xml; charset=utf-8',
        spMetadataXml(spUrls(origin, tenantId)),
      )
  }
}

/** A malformed %-escape names no tenant; it must not become a 500. */
function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    return segment
  }
}

export type { SsoEvent }
