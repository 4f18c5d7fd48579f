import type { connectionsChannels } from '../../src-shared/channels/connections.ts'
import { sourceOf } from '../../src-shared/provisioning-event.ts'
import type { ProvisioningEvent } from '../backend/admin-client.ts'
import { getIdpActivity, tokensWithIdpUse } from '../connections/idp-activity.ts'
import type { AppServices } from '../app-services.ts'
import type { DomainHandlers } from './handler-types.ts'

function eventSummary(e: ProvisioningEvent) {
  return {
    seq: e.seq,
    time: e.time,
    method: e.method,
    path: e.path,
    status: e.status,
    outcome: e.outcome,
    resourceType: e.resourceType,
    userName: e.userName,
    errorDetail: e.error?.detail ?? null,
    source: sourceOf(e),
    sourceIdp: e.sourceIdp ?? null,
  }
}

export function connectionsHandlers({
  backends,
  secrets,
}: AppServices): DomainHandlers<typeof connectionsChannels> {
  return {
    'connections.list': async () => {
      const access = await backends.access()
      const embedded = backends.embedded()
      const connections = (await access.listConnections()).map((c) => ({
        name: c.name,
        adminBaseUrl: c.adminBaseUrl,
        embedded: c.embedded,
        adminKeyStored: c.adminKey.present,
        allowInsecureHttp: c.allowInsecureHttp ?? false,
        defaultTenantId: c.embedded && embedded ? embedded.tenantId : null,
      }))
      return {
        connections,
        defaultConnection: connections[0]?.name ?? null,
        secretStore: secrets.info(),
      }
    },
    'connections.add': async (input) => {
      const saved = await (await backends.access()).connections.add(input)
      return { name: saved.name, adminBaseUrl: saved.adminBaseUrl }
    },
    'connections.edit': async ({ name, ...changes }) => {
      const saved = await (await backends.access()).connections.edit(name, changes)
      return { name: saved.name, adminBaseUrl: saved.adminBaseUrl }
    },
    'connections.remove': async ({ name }) => {
      await (await backends.access()).connections.remove(name)
      return { removed: true }
    },
    'connections.test': async ({ connection }) => {
      const client = await (await backends.access()).client(connection)
      const health = await client.health()
      const tenants = await client.listTenants()
      return {
        adminBaseUrl: client.baseUrl,
        backendVersion: health.version,
        tenants: tenants.map((t) => ({
          id: t.id,
          name: t.name,
          createdAt: t.createdAt,
          scimBaseUrl: t.scimBaseUrl,
        })),
      }
    },
    'connections.overview': async ({ connection, tenantId }) => {
      const access = await backends.access()
      const [overview, tokens, idp] = await Promise.all([
        access.tenantOverview(connection, tenantId),
        access.listTokens(connection, tenantId),
        access.client(connection).then((c) => getIdpActivity(c, tenantId)),
      ])
      return {
        tenant: {
          id: overview.tenant.id,
          name: overview.tenant.name,
          createdAt: overview.tenant.createdAt,
          scimBaseUrl: overview.tenant.scimBaseUrl,
        },
        sso: {
          sp: overview.sso.sp,
          configured: overview.sso.configured,
          entityId: overview.sso.entityId,
          ssoUrl: overview.sso.ssoUrl,
          importedAt: overview.sso.importedAt,
          certificates: overview.sso.certificates,
        },
        scim: {
          baseUrl: overview.scim.baseUrl,
          tokens: tokensWithIdpUse(tokens.tokens, idp),
        },
        recentEvents: overview.recentEvents.slice(0, 10).map(eventSummary),
        idp: {
          lastRequest: idp.lastRequest ? eventSummary(idp.lastRequest) : null,
          window: idp.window,
          complete: idp.complete,
        },
      }
    },
    'secrets.storeInfo': async () => secrets.info(),
  }
}
