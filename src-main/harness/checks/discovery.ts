import {
  check,
  describeResponse,
  expectStatus,
  isObject,
  resourcesOf,
  schemasOf,
  sev,
  type CheckDef,
} from '../check.ts'
import { LIST_SCHEMA, USER_SCHEMA } from '../profiles.ts'

const SPC_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'
const SPC_PARTS = [
  'patch',
  'bulk',
  'filter',
  'changePassword',
  'sort',
  'etag',
  'authenticationSchemes',
]

export const discoveryChecks: CheckDef[] = [
  {
    id: 'discovery.service_provider_config',
    title: 'GET /ServiceProviderConfig describes the server',
    area: 'discovery',
    spec: 'RFC 7643 §5; RFC 7644 §4',
    protects:
      'Generic SCIM clients learn which features (PATCH, filter, ETag) to use. Okta does not read it.',
    severity: sev('info', 'info', 'fail'),
    writes: false,
    async run(ctx) {
      const res = await ctx.send({ method: 'GET', path: '/ServiceProviderConfig' })
      expectStatus(res, 200, {
        what: 'GET /ServiceProviderConfig',
        fix: 'Serve the ServiceProviderConfig resource (RFC 7643 §5); it is a static JSON document.',
      })
      const missing = SPC_PARTS.filter((k) => !isObject(res.json) || res.json[k] === undefined)
      check(schemasOf(res.json).includes(SPC_SCHEMA), `schemas lacks ${SPC_SCHEMA}.`, {
        actual: describeResponse(res),
      })
      check(missing.length === 0, `ServiceProviderConfig lacks ${missing.join(', ')}.`, {
        expected: `all of ${SPC_PARTS.join(', ')}`,
        actual: describeResponse(res),
        fix: 'Add every REQUIRED sub-attribute, each with "supported": true|false.',
      })
      return { status: 'pass', message: 'ServiceProviderConfig is present and complete.' }
    },
  },
  {
    id: 'discovery.resource_types',
    title: 'GET /ResourceTypes lists User',
    area: 'discovery',
    spec: 'RFC 7643 §6; RFC 7644 §4',
    protects: 'Okta "Import User Schema" and entitlement apps read extensions from ResourceTypes.',
    severity: sev('info', 'warn', 'fail'),
    writes: false,
    async run(ctx) {
      const res = await ctx.send({ method: 'GET', path: '/ResourceTypes' })
      expectStatus(res, 200, {
        what: 'GET /ResourceTypes',
        fix: 'Serve /ResourceTypes as a ListResponse.',
      })
      check(schemasOf(res.json).includes(LIST_SCHEMA), 'The answer is not a ListResponse.', {
        actual: describeResponse(res),
      })
      const user = resourcesOf(res.json).find((r) => r.name === 'User')
      check(
        user && user.endpoint && user.schema === USER_SCHEMA,
        'No "User" resource type with endpoint and schema.',
        {
          expected: `{"name":"User","endpoint":"/Users","schema":"${USER_SCHEMA}"}`,
          actual: describeResponse(res),
        },
      )
      return { status: 'pass', message: 'ResourceTypes lists User with its endpoint and schema.' }
    },
  },
  {
    id: 'discovery.schemas',
    title: 'GET /Schemas describes the User schema',
    area: 'discovery',
    spec: 'RFC 7643 §7; Entra gallery requirement (Logic App test 15)',
    protects: 'Entra gallery apps and Okta "Import User Schema" discover attributes from /Schemas.',
    severity: sev('info', 'warn', 'fail'),
    writes: false,
    async run(ctx) {
      const res = await ctx.send({ method: 'GET', path: '/Schemas' })
      expectStatus(res, 200, {
        what: 'GET /Schemas',
        idpImpact:
          'Entra gallery validation fails schema discoverability; Okta cannot import your schema.',
        fix: 'Serve /Schemas as a ListResponse of the schemas you support.',
      })
      const user = resourcesOf(res.json).find((r) => r.id === USER_SCHEMA)
      check(
        user && Array.isArray(user.attributes),
        `/Schemas lacks ${USER_SCHEMA} with its attributes.`,
        {
          actual: describeResponse(res),
        },
      )
      return { status: 'pass', message: '/Schemas describes the core User schema.' }
    },
  },
  {
    id: 'discovery.read_only',
    title: 'Discovery endpoints refuse POST with 405',
    area: 'discovery',
    spec: 'RFC 7644 §4; Okta 2016 SPEC test steps 2, 4, 6',
    protects: 'Configuration cannot be changed through the SCIM API.',
    severity: sev('skip', 'skip', 'warn'),
    writes: true,
    async run(ctx) {
      // A 429 is no answer to the question: wait as the server asks, like any other request.
      const res = await ctx.send({ method: 'POST', path: '/ServiceProviderConfig', body: {} })
      expectStatus(res, [405, 501], {
        what: 'POST /ServiceProviderConfig',
        fix: 'Answer 405 Method Not Allowed for anything but GET on discovery endpoints.',
      })
      return {
        status: 'pass',
        message: `POST /ServiceProviderConfig is refused with ${res.status}.`,
      }
    },
  },
]
