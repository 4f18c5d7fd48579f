import { randomUUID } from 'node:crypto'
import type { z } from 'zod'
import { expectationsFromIdp, type SamlExpectations } from '../../src-domain/saml-response/index.ts'
import type { ssoSignInChannels } from '../../src-shared/channels/sso-signin.ts'
import { AppError } from '../../src-shared/errors.ts'
import { redact } from '../../src-shared/redact.ts'
import type { SsoConfig } from '../backend/admin-client.ts'
import { listSsoEvents, type SsoEvent } from '../backend/sso-events-client.ts'
import type { BackendAccess } from '../connections/backend-access.ts'
import { inspectMetadata } from '../metadata/inspect-metadata.ts'
import { explainFailure, type SsoContext } from '../sso-log/fixes.ts'
import { loadSignInStory } from '../sso-log/load-sign-in-story.ts'
import { inspectSamlInWorker } from './inspect-in-worker.ts'

type Channels = typeof ssoSignInChannels
type In<K extends keyof Channels> = z.output<Channels[K]['input']>
type Out<K extends keyof Channels> = z.output<Channels[K]['output']>

export interface TenantKey {
  connection: string
  tenantId: string
}

/**
 * The console's side of SSO testing: the SP-initiated login URL, the tenant's SSO events and
 * one user's diagnosis (read from the admin API), and the offline inspector, which runs the ACS's
 * validation code on pasted text here and sends nothing anywhere.
 * The pasted text is parsed in a worker thread with a budget (inspect-in-worker.ts).
 */
export interface SsoSignIn {
  testSignIn(key: TenantKey): Promise<Out<'sso.testSignIn'>>
  openLogin(input: In<'sso.openLogin'>): Promise<Out<'sso.openLogin'>>
  events(input: In<'sso.events'>): Promise<Out<'sso.events'>>
  explain(input: In<'sso.explain'>): Promise<Out<'sso.explain'>>
  explainEvent(input: In<'sso.explainEvent'>): Promise<Out<'sso.explainEvent'>>
  inspect(input: In<'saml.inspect'>): Promise<Out<'saml.inspect'>>
}

export interface SsoSignInDeps {
  access: () => Promise<BackendAccess>
  /** Opens a URL in the system browser; absent where the page opens it itself (web host). */
  openExternal?: (url: string) => Promise<void>
  now?: () => Date
}

/** The SP-initiated login of a tenant sits beside its ACS: /sso/{tenant}/saml/login. */
export function loginUrlOf(sso: Pick<SsoConfig, 'sp'>): string {
  return new URL('login', sso.sp.acsUrl).href
}

export function createSsoSignIn(deps: SsoSignInDeps): SsoSignIn {
  const now = deps.now ?? (() => new Date())
  async function target(key: TenantKey) {
    const access = await deps.access()
    const conn = await access.resolve(key.connection)
    return { baseUrl: conn.adminBaseUrl, adminKey: conn.adminKey }
  }
  async function ssoOf(key: TenantKey): Promise<SsoConfig> {
    return (await (await deps.access()).client(key.connection)).getSso(key.tenantId)
  }
  async function configured(key: TenantKey): Promise<SsoConfig> {
    const sso = await ssoOf(key)
    if (!sso.idp) {
      throw new AppError(
        'sso.not_configured',
        `Tenant ${key.tenantId} has no IdP metadata, so nobody can sign in yet.`,
        { hint: 'Import the IdP metadata and push it to the tenant first (Single sign-on).' },
      )
    }
    return sso
  }
  return {
    async testSignIn(key) {
      const sso = await configured(key)
      const newest = await listSsoEvents(await target(key), key.tenantId, { limit: 1 })
      return {
        testId: randomUUID(),
        loginUrl: loginUrlOf(sso),
        startedAt: now().toISOString(),
        afterSeq: newest.items[0]?.seq ?? 0,
      }
    },
    async openLogin({ url, ...key }) {
      const expected = loginUrlOf(await ssoOf(key))
      // Only this tenant's own login page: the renderer cannot make main open arbitrary URLs.
      if (url !== expected || !/^https?:$/.test(new URL(expected).protocol)) {
        throw new AppError('ipc.bad_input', 'This is not the tenant’s SP login URL.', {
          hint: `Start the sign-in test again; the console opens only ${expected}.`,
        })
      }
      if (!deps.openExternal) return { opened: false }
      await deps.openExternal(url)
      return { opened: true }
    },
    async events({ afterSeq, limit, user, cursor, ...key }) {
      const page = await listSsoEvents(await target(key), key.tenantId, {
        limit,
        ...(user !== undefined ? { user } : {}),
        ...(cursor !== undefined ? { cursor } : {}),
      })
      const items = afterSeq === undefined ? page.items : page.items.filter((e) => e.seq > afterSeq)
      return {
        items: redact(items),
        nextCursor:
          afterSeq !== undefined && items.length < page.items.length ? null : page.nextCursor,
      }
    },
    async explain({ user, ...key }) {
      const conn = await target(key)
      return redact(
        await loadSignInStory(
          { adminBaseUrl: conn.baseUrl, adminKey: conn.adminKey },
          key.tenantId,
          user,
        ),
      )
    },
    async explainEvent({ seq, ...key }) {
      const [page, sso] = await Promise.all([
        // `cursor` is "events below it": seq + 1 starts at the one asked for.
        listSsoEvents(await target(key), key.tenantId, { cursor: String(seq + 1), limit: 1 }),
        ssoOf(key),
      ])
      const event = page.items.find((e) => e.seq === seq)
      if (!event) {
        throw new AppError(
          'log.event_not_found',
          `Tenant ${key.tenantId} has no SSO event #${seq}.`,
          {
            hint: 'Reload the SSO log; only the newest 10,000 attempts are kept.',
          },
        )
      }
      return redact({
        event,
        explanation: event.outcome === 'failure' ? explainFailure(event, contextOf(sso)) : null,
      })
    },
    async inspect({ text, against }) {
      const at = now()
      let expect: SamlExpectations = { idpEntityId: null, certificates: null, sp: null, now: at }
      let label: string | null = null
      if (against.kind === 'metadata') {
        const m = await inspectMetadata({ kind: 'text', text: against.xml, name: 'pasted' })
        if (!m.ok) {
          const first = m.findings.find((f) => f.severity === 'error')
          throw new AppError(
            'metadata.not_idp',
            `The pasted IdP metadata is not usable: ${first?.message ?? 'see the Metadata screen'}`,
            { hint: first?.hint ?? 'Paste the IdP metadata XML as downloaded from the IdP.' },
          )
        }
        expect = expectationsFromIdp(m, { sp: null, now: at })
        label = `IdP metadata ${m.entityId ?? '(pasted)'}`
      } else if (against.kind === 'tenant') {
        // The only thing that leaves the machine: asking the tenant for its IdP configuration.
        const sso = await configured(against)
        expect = {
          idpEntityId: sso.idp!.entityId,
          certificates: sso.idp!.signingCertificates.map((c) => ({
            sha256Fingerprint: c.sha256Fingerprint,
            subject: c.subject,
            notAfter: c.notAfter,
          })),
          sp: { entityId: sso.sp.entityId, acsUrl: sso.sp.acsUrl },
          now: at,
        }
        label = `tenant ${against.tenantId}`
      }
      return redact({ against: label, inspection: await inspectSamlInWorker({ text, expect }) })
    },
  }
}

function contextOf(sso: SsoConfig): SsoContext {
  return {
    sp: { entityId: sso.sp.entityId, acsUrl: sso.sp.acsUrl },
    idp: sso.idp
      ? { entityId: sso.idp.entityId, signingCertificates: sso.idp.signingCertificates }
      : null,
  }
}

export type { SsoEvent }
