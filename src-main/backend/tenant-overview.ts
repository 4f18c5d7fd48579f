import { eventSources, testTrafficSources } from '../../src-shared/provisioning-event.ts'
import type { AdminClient, ProvisioningEvent, SsoConfig, Tenant } from './admin-client.ts'

/** What the log shows by default: everything but the console's own test traffic. */
const NOT_TEST = eventSources.filter((s) => !testTrafficSources.includes(s))

/** What the tenant page shows at a glance: both halves of the Okta setup side by side. */
export interface TenantOverview {
  tenant: Tenant
  sso: {
    sp: SsoConfig['sp']
    /** False until IdP metadata has been pushed: SCIM users then exist but cannot log in. */
    configured: boolean
    entityId: string | null
    ssoUrl: string | null
    importedAt: string | null
    certificates: Array<{
      sha256Fingerprint: string
      subject: string
      notAfter: string
      expired: boolean
      /** Whole days until notAfter; negative once expired. */
      daysLeft: number
    }>
  }
  scim: { baseUrl: string }
  /** Newest first, without the harness's and replays' requests (as the log shows by default). */
  recentEvents: ProvisioningEvent[]
}

const DAY_MS = 86_400_000

export async function getTenantOverview(
  client: AdminClient,
  tenantId: string,
  options: { recentEvents?: number; now?: Date } = {},
): Promise<TenantOverview> {
  const now = (options.now ?? new Date()).getTime()
  const [tenant, sso, scim, events] = await Promise.all([
    client.getTenant(tenantId),
    client.getSso(tenantId),
    client.getScim(tenantId),
    client.listEvents(tenantId, { limit: options.recentEvents ?? 20, source: NOT_TEST }),
  ])
  const idp = sso.idp
  return {
    tenant,
    sso: {
      sp: sso.sp,
      configured: idp !== null,
      entityId: idp?.entityId ?? null,
      ssoUrl: idp?.ssoUrl ?? null,
      importedAt: idp?.importedAt ?? null,
      certificates: (idp?.signingCertificates ?? []).map((c) => {
        const notAfter = Date.parse(c.notAfter)
        return {
          ...c,
          expired: notAfter <= now,
          daysLeft: Math.floor((notAfter - now) / DAY_MS),
        }
      }),
    },
    scim: { baseUrl: scim.baseUrl },
    recentEvents: events.items,
  }
}
