// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { DirectoryGroup, DirectoryUser } from '../../../src-shared/channels/directory.ts'
import { createFakeApi, withFakeApi } from '../testing/fake-api.tsx'
import { useLogUi } from '../use-log-ui.ts'
import { useUiStore } from '../use-ui-store.ts'
import { DirectoryScreen } from './DirectoryScreen.tsx'

afterEach(cleanup)
beforeEach(() => {
  useUiStore.setState({ screen: 'directory' })
  useLogUi.setState({ storyQuery: null, filter: {} })
})

const target = { connection: 'embedded', tenantId: 'demo' }
const okta = {
  client: 'okta' as const,
  userAgent: 'Okta SCIM Client 1.0.0',
  seq: 1,
  time: '2026-12-07T09:00:00.000Z',
}

function user(n: number, over: Partial<DirectoryUser> = {}): DirectoryUser {
  return {
    id: `u${n}`,
    userName: `user${n}@x.test`,
    displayName: `User ${n}`,
    externalId: null,
    active: true,
    groups: [],
    createdAt: '2026-12-07T09:00:00.000Z',
    lastModified: '2026-12-07T09:00:00.000Z',
    source: okta,
    lastChange: { seq: n, time: '2026-12-07T09:00:00.000Z', outcome: 'created' },
    ...over,
  }
}

const sales: DirectoryGroup = {
  id: 'g1',
  displayName: 'Sales',
  externalId: null,
  memberCount: 2,
  createdAt: '2026-12-07T09:00:00.000Z',
  lastModified: '2026-12-07T09:05:00.000Z',
  source: okta,
  lastChange: { seq: 9, time: '2026-12-07T09:05:00.000Z', outcome: 'membership_changed' },
}

/** Main as the fake sees it: a list of users the test can grow, paged two at a time. */
function fakeMain(users: DirectoryUser[]) {
  return createFakeApi({
    'connections.list': () => ({
      connections: [
        {
          name: 'embedded',
          adminBaseUrl: 'http://127.0.0.1:4100',
          embedded: true,
          adminKeyStored: true,
          defaultTenantId: 'demo',
        },
      ],
      defaultConnection: 'embedded',
      secretStore: { kind: 'keychain', memoryOnly: false },
    }),
    'connections.test': () => ({
      adminBaseUrl: 'http://127.0.0.1:4100',
      backendVersion: '1.0.0',
      tenants: [{ id: 'demo', name: 'Demo', createdAt: '', scimBaseUrl: '' }],
    }),
    'log.open': () => ({ state: { state: 'live', since: '' }, size: 0, capacity: 1000 }),
    'directory.users': ({ q, cursor }) => {
      const matching = users.filter((u) => !q || u.userName.includes(q.toLowerCase()))
      const from = Number(cursor ?? 0)
      const items = matching.slice(from, from + 2)
      return {
        items,
        nextCursor: from + 2 < matching.length ? String(from + 2) : null,
        total: matching.length,
      }
    },
    'directory.groups': () => ({ items: [sales], nextCursor: null, total: 1 }),
    'directory.groupMembers': () => ({
      groupId: 'g1',
      displayName: 'Sales',
      items: [
        { id: 'u1', type: 'User' as const, display: 'user1@x.test', active: true },
        { id: 'u2', type: 'User' as const, display: 'user2@x.test', active: false },
      ],
      nextCursor: null,
      total: 2,
    }),
  })
}

const rows = () => screen.getAllByTestId('directory-user-row').map((r) => r.dataset.userName)

describe('DirectoryScreen with a fake api', () => {
  it('lists users with state, groups, source and last change, and pages with Load more', async () => {
    const users = [
      user(1, { groups: ['Sales'] }),
      user(2, {
        active: false,
        lastChange: { seq: 5, time: '2026-12-07T10:00:00.000Z', outcome: 'deactivated' },
      }),
      user(3, { source: { client: 'unknown', userAgent: null, seq: null, time: null } }),
    ]
    const fake = fakeMain(users)
    render(<DirectoryScreen />, { wrapper: withFakeApi(fake.api) })

    await screen.findAllByTestId('directory-user-row')
    expect(rows()).toEqual(['user1@x.test', 'user2@x.test'])
    expect(fake.calls.find((c) => c.channel === 'directory.users')?.input).toMatchObject(target)
    expect(screen.getByTestId('directory-count').textContent).toBe('Showing 2 of 3 users')
    const [first, second] = screen.getAllByTestId('directory-user-row')
    expect(within(first!).getByTestId('directory-state').textContent).toBe('Active')
    expect(within(first!).getByTestId('directory-user-groups').textContent).toBe('Sales')
    expect(within(first!).getByTestId('directory-source').textContent).toBe('Okta')
    expect(within(first!).getByTestId('directory-source').title).toBe('Okta SCIM Client 1.0.0')
    expect(within(second!).getByTestId('directory-state').textContent).toBe('Inactive')
    expect(within(second!).getByTestId('directory-last-change').textContent).toBe(
      'Deactivated7 Dec 2026, 10:00 UTC',
    )
    expect(within(second!).getByTestId('directory-last-change').querySelector('time')?.title).toBe(
      '7 Dec 2026, 10:00:00 UTC',
    )

    fireEvent.click(screen.getByTestId('directory-more'))
    await waitFor(() => expect(rows()).toHaveLength(3))
    const third = screen.getAllByTestId('directory-user-row')[2]!
    expect(within(third).getByTestId('directory-source').textContent).toBe('Unknown')
    expect(within(third).getByTestId('directory-source').title).toContain('no longer in the log')
    expect(screen.queryByTestId('directory-more')).toBeNull()
  })

  it('labels a user the pre-go-live test created "This console (test)", with its User-Agent', async () => {
    const ua = 'Okta SCIM Client 1.0.0 scim-console-harness/0.1.0 (run 1a2b3c4d)'
    const users = [
      user(1, {
        userName: 'scimc-1a2b3c4d-user@x.test',
        source: { client: 'console', userAgent: ua, seq: 3, time: '2026-12-07T09:00:00.000Z' },
      }),
    ]
    render(<DirectoryScreen />, { wrapper: withFakeApi(fakeMain(users).api) })
    fireEvent.click(await screen.findByTestId('directory-test-users-toggle'))
    const [row] = await screen.findAllByTestId('directory-user-row')
    expect(within(row!).getByTestId('directory-source').textContent).toBe('This console (test)')
    expect(within(row!).getByTestId('directory-source').title).toBe(ua)
  })

  it('hides test-run users by default, counts them, and shows them after one click', async () => {
    const harness = {
      client: 'console' as const,
      userAgent: 'Okta SCIM Client 1.0.0 scim-console-harness/0.1.0 (run 1a2b3c4d)',
      seq: 2,
      time: '2026-12-07T09:00:00.000Z',
    }
    const users = [
      user(1),
      user(2, { userName: 'scimc-1a2b3c4d-x@x.test', source: harness }),
      user(3),
    ]
    render(<DirectoryScreen />, { wrapper: withFakeApi(fakeMain(users).api) })

    await screen.findAllByTestId('directory-user-row')
    expect(rows()).toEqual(['user1@x.test'])
    expect(screen.getByTestId('directory-count').textContent).toBe(
      'Showing 1 of 3 users (1 test-run hidden)',
    )
    const toggle = screen.getByTestId('directory-test-users-toggle')
    // Only the first page is loaded: more test-run users may follow.
    expect(toggle.textContent).toBe('Show test-run users (1 so far)')
    expect(toggle.getAttribute('aria-pressed')).toBe('false')

    fireEvent.click(toggle)
    expect(rows()).toEqual(['user1@x.test', 'scimc-1a2b3c4d-x@x.test'])
    expect(screen.getByTestId('directory-count').textContent).toBe('Showing 2 of 3 users')
    expect(toggle.getAttribute('aria-pressed')).toBe('true')

    fireEvent.click(screen.getByTestId('directory-more'))
    await waitFor(() => expect(rows()).toHaveLength(3))
    expect(toggle.textContent).toBe('Hide test-run users (1)')
    fireEvent.click(toggle)
    expect(rows()).toEqual(['user1@x.test', 'user3@x.test'])
  })

  it('offers no test-run toggle when no loaded user came from a test run', async () => {
    render(<DirectoryScreen />, { wrapper: withFakeApi(fakeMain([user(1)]).api) })
    await screen.findAllByTestId('directory-user-row')
    expect(screen.queryByTestId('directory-test-users-toggle')).toBeNull()
  })

  it('searches after typing settles, and the count follows the search', async () => {
    const fake = fakeMain([user(1), user(2), user(3)])
    render(<DirectoryScreen />, { wrapper: withFakeApi(fake.api) })
    await screen.findAllByTestId('directory-user-row')

    fireEvent.change(screen.getByTestId('directory-search'), { target: { value: 'user3' } })
    await waitFor(() => expect(rows()).toEqual(['user3@x.test']))
    expect(screen.getByTestId('directory-count').textContent).toBe('Showing 1 of 1 users')
    const searches = fake.calls.filter((c) => c.channel === 'directory.users')
    expect(searches.at(-1)?.input).toMatchObject({ q: 'user3' })
  })

  it('refetches when new provisioning events arrive (live)', async () => {
    const users = [user(1)]
    const fake = fakeMain(users)
    render(<DirectoryScreen />, { wrapper: withFakeApi(fake.api) })
    await screen.findAllByTestId('directory-user-row')
    await waitFor(() => expect(fake.listenerCount('log.event')).toBeGreaterThan(0))

    users.push(user(2))
    fake.emit('log.event', { ...target, added: 1, newestSeq: 2, size: 2 })
    await waitFor(() => expect(rows()).toEqual(['user1@x.test', 'user2@x.test']))
  })

  it("opens a user's story in the provisioning log", async () => {
    const fake = fakeMain([user(1)])
    render(<DirectoryScreen />, { wrapper: withFakeApi(fake.api) })
    fireEvent.click(await screen.findByTestId('directory-story'))
    expect(useLogUi.getState().storyQuery).toBe('user1@x.test')
    expect(useUiStore.getState().screen).toBe('log')
  })

  it('shows a group’s members (keyboard-reachable tabs), and a member links to the user', async () => {
    const fake = fakeMain([user(1), user(2)])
    render(<DirectoryScreen />, { wrapper: withFakeApi(fake.api) })
    await screen.findAllByTestId('directory-user-row')

    // Arrow keys move between the tabs, as in every tab list of the app.
    screen.getByTestId('directory-tab-users').focus()
    fireEvent.keyDown(screen.getByRole('tablist'), { key: 'ArrowRight' })
    expect(screen.getByTestId('directory-tab-groups').getAttribute('aria-selected')).toBe('true')

    const group = await screen.findByTestId('directory-group-row')
    expect(within(group).getByTestId('directory-member-count').textContent).toBe('2')
    expect(within(group).getByTestId('directory-last-change').textContent).toContain(
      'Members changed',
    )
    fireEvent.click(within(group).getByTestId('directory-group-open'))
    const members = await screen.findAllByTestId('directory-member-row')
    expect(members.map((m) => m.dataset.member)).toEqual(['user1@x.test', 'user2@x.test'])
    expect(within(members[1]!).getByTestId('directory-state').textContent).toBe('Inactive')

    fireEvent.click(within(members[1]!).getByTestId('directory-member-link'))
    expect(screen.getByTestId('directory-tab-users').getAttribute('aria-selected')).toBe('true')
    expect((screen.getByTestId('directory-search') as HTMLInputElement).value).toBe('user2@x.test')
    await waitFor(() => expect(rows()).toEqual(['user2@x.test']))
  })

  it("opens a group's events in the log, filtered to the group", async () => {
    const fake = fakeMain([])
    render(<DirectoryScreen />, { wrapper: withFakeApi(fake.api) })
    fireEvent.click(await screen.findByTestId('directory-tab-groups'))
    fireEvent.click(await screen.findByTestId('directory-group-events'))
    expect(useLogUi.getState().filter).toEqual({ user: 'g1' })
    expect(useUiStore.getState().screen).toBe('log')
  })
})
