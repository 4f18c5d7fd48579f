import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { scimErrorReasonCodes } from '../../src-shared/scim-error-reasons.ts'
import { defaultReason, ScimError } from './scim-error.ts'

describe('ScimError', () => {
  it('renders the RFC 7644 §3.12 error body with status as a string, and the reason extension', () => {
    const error = new ScimError(409, 'User already exists in the database.', 'uniqueness')
    expect(error).toBeInstanceOf(Error)
    expect(error.status).toBe(409)
    expect(error.scimType).toBe('uniqueness')
    expect(error.detail).toBe('User already exists in the database.')
    expect(error.toBody()).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      status: '409',
      scimType: 'uniqueness',
      detail: 'User already exists in the database.',
      reason: 'scim.uniqueness',
    })
  })

  it('omits scimType when there is none', () => {
    const body = new ScimError(404, 'Resource u1 not found').toBody()
    expect(body).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      status: '404',
      detail: 'Resource u1 not found',
      reason: 'resource.not_found',
    })
    expect('scimType' in body).toBe(false)
    expect(JSON.parse(JSON.stringify(body))).toEqual(body)
  })

  it('keeps a reason the thrower names over the default', () => {
    const error = new ScimError(401, 'Sent as "Bearer Bearer …".', undefined, 'auth.bearer_doubled')
    expect(error.reason).toBe('auth.bearer_doubled')
    expect(error.toBody().reason).toBe('auth.bearer_doubled')
  })

  it('derives a catalogued reason for every scimType and status', () => {
    const types = ['invalidFilter', 'tooMany', 'uniqueness', 'mutability', 'invalidSyntax']
    for (const t of [...types, 'invalidPath', 'noTarget', 'invalidValue', 'invalidVers']) {
      expect(scimErrorReasonCodes).toContain(defaultReason(400, t))
    }
    for (const status of [400, 401, 403, 404, 405, 409, 412, 413, 415, 429, 500, 503]) {
      expect(scimErrorReasonCodes).toContain(defaultReason(status, undefined))
    }
    expect(defaultReason(400, 'somethingNew')).toBe('request.rejected')
  })
})

describe('the reason codes documented in resources/admin-api.openapi.yaml', () => {
  const yaml = createRequire(import.meta.url)('js-yaml') as { load(text: string): unknown }
  const spec = yaml.load(
    readFileSync(resolve(import.meta.dirname, '../../resources/admin-api.openapi.yaml'), 'utf8'),
  ) as { components: { schemas: Record<string, { description?: string }> } }

  it('are exactly the codes of src-shared/scim-error-reasons.ts', () => {
    const description = spec.components.schemas.ScimErrorReason?.description ?? ''
    const documented = [...description.matchAll(/^- `([a-z_]+\.[a-z_]+)`:/gm)].map((m) => m[1])
    expect(documented).toEqual(scimErrorReasonCodes)
  })
})
