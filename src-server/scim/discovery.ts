/**
 * The discovery documents (RFC 7643 §5-7, RFC 7644 §4), generated from the same attribute
 * definitions the filter, PATCH and normalisation code use, so they describe what the server
 * really does.
 */
import {
  ENTERPRISE_USER_SCHEMA,
  GROUP_SCHEMA,
  USER_SCHEMA,
  commonAttributes,
  schemaDescriptions,
  type AttributeDefinition,
} from './schema-definitions.ts'

export const SERVICE_PROVIDER_CONFIG_SCHEMA =
  'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'
export const RESOURCE_TYPE_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ResourceType'
export const SCHEMA_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Schema'

/** The most resources one list response returns; the server caps `count` at this. */
export const MAX_RESULTS = 200

function trimBase(baseUrl: string): string {
  return baseUrl.endsWith('/') ? baseUrl.slice(0, -1) : baseUrl
}

export function serviceProviderConfig(baseUrl: string): Record<string, unknown> {
  const base = trimBase(baseUrl)
  return {
    schemas: [SERVICE_PROVIDER_CONFIG_SCHEMA],
    documentationUri: 'https://www.rfc-editor.org/rfc/rfc7644',
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: MAX_RESULTS },
    changePassword: { supported: false },
    sort: { supported: true },
    etag: { supported: true },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'OAuth Bearer Token',
        description: 'A per-tenant bearer token in the Authorization header: "Bearer <token>".',
        specUri: 'https://www.rfc-editor.org/info/rfc6750',
        primary: true,
      },
    ],
    meta: { resourceType: 'ServiceProviderConfig', location: `${base}/ServiceProviderConfig` },
  }
}

export function resourceTypes(baseUrl: string): Record<string, unknown>[] {
  const base = trimBase(baseUrl)
  return [
    {
      schemas: [RESOURCE_TYPE_SCHEMA],
      id: 'User',
      name: 'User',
      endpoint: '/Users',
      description: 'User Account',
      schema: USER_SCHEMA,
      schemaExtensions: [{ schema: ENTERPRISE_USER_SCHEMA, required: false }],
      meta: { resourceType: 'ResourceType', location: `${base}/ResourceTypes/User` },
    },
    {
      schemas: [RESOURCE_TYPE_SCHEMA],
      id: 'Group',
      name: 'Group',
      endpoint: '/Groups',
      description: 'Group',
      schema: GROUP_SCHEMA,
      schemaExtensions: [],
      meta: { resourceType: 'ResourceType', location: `${base}/ResourceTypes/Group` },
    },
  ]
}

const externalId = commonAttributes.find((a) => a.name === 'externalId') as AttributeDefinition

export function schemas(baseUrl: string): Record<string, unknown>[] {
  const base = trimBase(baseUrl)
  return schemaDescriptions.map((description) => {
    // externalId is a common attribute (RFC 7643 §3.1), but Entra's schema-discovery check
    // looks for every mapped attribute, externalId included, in the flattened /Schemas.
    const attributes =
      description.id === ENTERPRISE_USER_SCHEMA
        ? description.attributes
        : [externalId, ...description.attributes]
    return {
      schemas: [SCHEMA_SCHEMA],
      id: description.id,
      name: description.name,
      description: description.description,
      attributes: structuredClone(attributes),
      meta: { resourceType: 'Schema', location: `${base}/Schemas/${description.id}` },
    }
  })
}
