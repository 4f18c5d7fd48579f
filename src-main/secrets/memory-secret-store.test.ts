import { describe, expect, it } from 'vitest'
import { createMemorySecretStore } from './memory-secret-store.ts'
import { isMemoryStore } from './secret-store.ts'

describe('memory secret store', () => {
  it('stores, reads, lists by prefix, reports status and deletes', async () => {
    const store = createMemorySecretStore()
    expect(isMemoryStore(store)).toBe(true)
    await store.set('scim-token:b:t1:a', 'secret-aaaa1234')
    await store.set('scim-token:b:t1:b', 'secret-bbbb5678')
    await store.set('scim-token:b:t2:c', 'secret-cccc9999')
    expect(await store.get('scim-token:b:t1:a')).toBe('secret-aaaa1234')
    expect(await store.list('scim-token:b:t1:')).toEqual(['scim-token:b:t1:a', 'scim-token:b:t1:b'])
    const status = await store.status('scim-token:b:t1:b')
    expect(status.present).toBe(true)
    expect(status.last4).toBe('5678')
    expect(Number.isNaN(Date.parse(status.createdAt ?? ''))).toBe(false)
    expect(await store.delete('scim-token:b:t1:a')).toBe(true)
    expect(await store.delete('scim-token:b:t1:a')).toBe(false)
    expect(await store.get('scim-token:b:t1:a')).toBeUndefined()
    expect(await store.status('scim-token:b:t1:a')).toEqual({ present: false })
  })

  it('keeps separate stores apart', async () => {
    const a = createMemorySecretStore()
    const b = createMemorySecretStore()
    await a.set('x', 'only-in-a')
    expect(await b.get('x')).toBeUndefined()
  })
})
