import { describe, expect, it } from 'vitest'
import { ScimError } from './scim-error.ts'

describe('ScimError', () => {
  it('renders the RFC 7644 §3.12 error body with status as a string', () => {
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
    })
  })

  it('omits scimType when there is none', () => {
    const body = new ScimError(404, 'Resource u1 not found').toBody()
    expect(body).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      status: '404',
      detail: 'Resource u1 not found',
    })
    expect('scimType' in body).toBe(false)
    expect(JSON.parse(JSON.stringify(body))).toEqual(body)
  })
})
