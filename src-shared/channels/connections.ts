import { z } from 'zod'
import { eventSourceIdps, eventSources } from '../provisioning-event.ts'

const emptyInput = z.object({}).strict()
const connectionName = z.string().min(1).max(64)
const tenantId = z.string().min(1).max(200)

/** Which backend and tenant a call is about; every backend channel takes it explicitly. */
export const tenantTarget = z.object({ connection: connectionName, tenantId }).strict()

const secretStoreInfo = z.strictObject({
  kind: z.enum(['keychain', 'memory']),
  /** True while secrets live only in this process: the UI shows a banner. */
  memoryOnly: z.boolean(),
})

/**
 * One connection as the renderer sees it. Strict on purpose: the admin key is never part of it,
 * only whether the keychain holds one (the contract test checks no secret field can appear).
 */
const connectionListing = z.strictObject({
  name: z.string(),
  adminBaseUrl: z.string(),
  embedded: z.boolean(),
  adminKeyStored: z.boolean(),
  /** Plain http on a private network was explicitly allowed for this connection: show it. */
  allowInsecureHttp: z.boolean().optional(),
  /** The embedded backend's demo tenant; saved connections pick a tenant from connections.tenants. */
  defaultTenantId: z.string().nullable(),
})

const tenant = z.strictObject({
  id: z.string(),
  name: z.string(),
  createdAt: z.string(),
  scimBaseUrl: z.string(),
})

const certificate = z.strictObject({
  sha256Fingerprint: z.string(),
  subject: z.string(),
  notAfter: z.string(),
  expired: z.boolean(),
  daysLeft: z.number(),
})

const spValues = z.strictObject({
  acsUrl: z.string(),
  entityId: z.string(),
  relayState: z.string(),
  nameIdFormat: z.string(),
  metadataUrl: z.string(),
})

/** A provisioning event as the overview lists it: no request or response bodies. */
const recentEvent = z.strictObject({
  seq: z.number(),
  time: z.string(),
  method: z.string(),
  path: z.string(),
  status: z.number(),
  outcome: z.string(),
  resourceType: z.string(),
  userName: z.string().nullable(),
  errorDetail: z.string().nullable(),
  /** Who sent it (the backend's decision; `unknown` from one that records none). */
  source: z.enum(eventSources),
  sourceIdp: z.enum(eventSourceIdps).nullable(),
})

const tokenSummary = z.strictObject({
  id: z.string(),
  label: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  hashPrefix: z.string(),
  inKeychain: z.boolean(),
})

/**
 * A token with the IdP's own last use of it (harness runs and replays left out): what rotation
 * guidance tells the admin to watch. Read from the IdP's newest `idpWindow.window` requests.
 */
const tokenWithIdpUse = tokenSummary.extend({
  /** The IdP's newest request with this token; null when none among `idp.window`. */
  lastIdpRequestAt: z.string().nullable(),
})

/** How much of the IdP's traffic `lastIdpRequestAt` was read from. */
const idpWindow = z.strictObject({
  /** How many of the IdP's newest requests were read. */
  window: z.number(),
  /** Every IdP request the backend keeps was read: a token not seen was never used by it. */
  complete: z.boolean(),
})

export const connectionSchemas = {
  certificate,
  spValues,
  tokenSummary,
  tokenWithIdpUse,
  idpWindow,
  secretStoreInfo,
}

export const connectionsChannels = {
  'connections.list': {
    input: emptyInput,
    output: z.strictObject({
      connections: z.array(connectionListing),
      /** The embedded backend when it runs, else the first saved connection; null when none. */
      defaultConnection: z.string().nullable(),
      secretStore: secretStoreInfo,
    }),
  },
  'connections.add': {
    input: z
      .object({
        name: connectionName,
        adminBaseUrl: z.string().min(1).max(2048),
        adminKey: z.string().min(1).max(4096),
        /** The explicit opt-in for plain http on a private network; https otherwise. */
        allowInsecureHttp: z.boolean().optional(),
      })
      .strict(),
    output: z.strictObject({ name: z.string(), adminBaseUrl: z.string() }),
  },
  'connections.edit': {
    input: z
      .object({
        name: connectionName,
        adminBaseUrl: z.string().min(1).max(2048).optional(),
        adminKey: z.string().min(1).max(4096).optional(),
        allowInsecureHttp: z.boolean().optional(),
      })
      .strict(),
    output: z.strictObject({ name: z.string(), adminBaseUrl: z.string() }),
  },
  'connections.remove': {
    input: z.object({ name: connectionName }).strict(),
    output: z.strictObject({ removed: z.literal(true) }),
  },
  'connections.test': {
    input: z.object({ connection: connectionName }).strict(),
    output: z.strictObject({
      adminBaseUrl: z.string(),
      backendVersion: z.string(),
      tenants: z.array(tenant),
    }),
  },
  'connections.overview': {
    input: tenantTarget,
    output: z.strictObject({
      tenant,
      sso: z.strictObject({
        sp: spValues,
        configured: z.boolean(),
        entityId: z.string().nullable(),
        ssoUrl: z.string().nullable(),
        importedAt: z.string().nullable(),
        certificates: z.array(certificate),
      }),
      scim: z.strictObject({
        baseUrl: z.string(),
        tokens: z.array(tokenWithIdpUse),
      }),
      /** The tenant's requests without the harness's and replays' (as the log shows by default). */
      recentEvents: z.array(recentEvent),
      /** The IdP's own traffic only: what "the IdP's last request" and per-token use are read from. */
      idp: idpWindow.extend({ lastRequest: recentEvent.nullable() }),
    }),
  },
  'secrets.storeInfo': {
    input: emptyInput,
    output: secretStoreInfo,
  },
} as const
