import { describe, expect, it } from 'vitest'
import { sortResources } from './sort-resources.ts'

describe('sortResources', () => {
  const users = [
    {
      id: '1',
      userName: 'charlie',
      name: { familyName: 'Zed' },
      meta: { created: '2024-03-01T00:00:00Z' },
    },
    {
      id: '2',
      userName: 'Alice',
      emails: [
        { value: 'z@x', type: 'home' },
        { value: 'a@x', primary: true },
      ],
      meta: { created: '2024-01-01T00:00:00Z' },
    },
    {
      id: '3',
      userName: 'bob',
      name: { familyName: 'Adams' },
      meta: { created: '2024-02-01T00:00:00Z' },
    },
  ]
  const ids = (list: { id: string }[]) => list.map((u) => u.id)

  it('sorts case-insensitively ascending by default', () => {
    expect(ids(sortResources(users, 'userName', undefined, 'User'))).toEqual(['2', '3', '1'])
    expect(ids(sortResources(users, 'UserName', 'Descending', 'User'))).toEqual(['1', '3', '2'])
  })

  it('puts unassigned values last in both orders', () => {
    expect(ids(sortResources(users, 'name.familyName', 'ascending', 'User'))).toEqual([
      '3',
      '1',
      '2',
    ])
    expect(ids(sortResources(users, 'name.familyName', 'descending', 'User'))).toEqual([
      '1',
      '3',
      '2',
    ])
  })

  it('sorts multi-valued attributes by the primary value', () => {
    const sorted = sortResources(
      [{ id: 'x', emails: [{ value: 'm@x' }] }, users[1]!],
      'emails.value',
      'ascending',
      'User',
    )
    expect(ids(sorted as { id: string }[])).toEqual(['2', 'x'])
  })

  it('sorts dateTimes chronologically and keeps ties stable', () => {
    expect(ids(sortResources(users, 'meta.created', 'ascending', 'User'))).toEqual(['2', '3', '1'])
    const tied = [
      { id: 'a', title: 'x' },
      { id: 'b', title: 'X' },
      { id: 'c', title: 'x' },
    ]
    expect(ids(sortResources(tied, 'title', 'ascending', 'User'))).toEqual(['a', 'b', 'c'])
  })

  it('does not modify the input and returns it unchanged without sortBy', () => {
    const copy = structuredClone(users)
    sortResources(users, 'userName', 'descending', 'User')
    expect(users).toEqual(copy)
    expect(ids(sortResources(users, undefined, undefined, 'User'))).toEqual(['1', '2', '3'])
  })

  it('rejects unknown attributes and sort orders with 400 invalidValue', () => {
    expect(() => sortResources(users, 'shoeSize', undefined, 'User')).toThrow(/shoeSize/)
    expect(() => sortResources(users, 'userName', 'sideways', 'User')).toThrow(/ascending/)
  })
})
