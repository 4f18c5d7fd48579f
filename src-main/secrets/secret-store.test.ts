import { describe, expect, it } from 'vitest'
import {
  adminKeyAccount,
  backendIdFromUrl,
  scimTokenAccount,
  scimTokenAccountPrefix,
  statusOf,
  tokenIdFromAccount,
  unwrapSecret,
  wrapSecret,
} from './secret-store.ts'

describe('account names', () => {
  it('encode backend, tenant and token id, with `:` only between parts', () => {
    const backend = backendIdFromUrl('https://Admin.Example.com:8443/admin/v1/')
    expect(backend).toBe('admin.example.com:8443/admin/v1')
    const account = scimTokenAccount(backend, 'acme:eu', 'tok 1')
    expect(account).toBe('scim-token:admin.example.com%3A8443%2Fadmin%2Fv1:acme%3Aeu:tok%201')
    expect(account.startsWith(scimTokenAccountPrefix(backend, 'acme:eu'))).toBe(true)
    expect(account.startsWith(scimTokenAccountPrefix(backend, 'acme'))).toBe(false)
    expect(tokenIdFromAccount(account)).toBe('tok 1')
    expect(adminKeyAccount('prod eu')).toBe('admin-key:prod%20eu')
  })
})

describe('stored envelope', () => {
  it('round-trips the secret and its creation time', () => {
    const when = new Date('2026-01-02T03:04:05.000Z')
    expect(unwrapSecret(wrapSecret('s3cret-value', when))).toEqual({
      secret: 's3cret-value',
      createdAt: '2026-01-02T03:04:05.000Z',
    })
  })

  it('reads an entry written by hand as the bare secret', () => {
    expect(unwrapSecret('{not json')).toEqual({ secret: '{not json' })
    expect(statusOf('hand-made-key')).toEqual({ present: true, last4: '-key' })
    expect(statusOf(undefined)).toEqual({ present: false })
  })
})
