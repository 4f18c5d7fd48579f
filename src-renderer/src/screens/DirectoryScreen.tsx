import { useState } from 'react'
import type { DirectoryUser } from '../../../src-shared/channels/directory.ts'
import { errorData } from '../api-error.ts'
import { ErrorPanel } from '../components/ErrorPanel.tsx'
import { StreamBadge } from '../components/log/StreamBadge.tsx'
import { rovingKeyDown } from '../lib/roving.ts'
import { useActiveTarget } from '../use-connections.ts'
import {
  SEARCH_DEBOUNCE_MS,
  useDebounced,
  useDirectoryGroups,
  useDirectoryLive,
  useDirectoryUsers,
  visibleUsers,
} from '../use-directory.ts'
import { LastChangeCell, SourceCell, StatePill, useOpenStory } from './DirectoryScreenCells.tsx'
import { DirectoryGroups } from './DirectoryScreenGroups.tsx'
import './directory.css'

type Tab = 'users' | 'groups'

function Shown({
  shown,
  total,
  what,
  hidden = 0,
}: {
  shown: number
  total: number | null
  what: string
  /** Loaded but left out (the console's test-run users). */
  hidden?: number
}) {
  if (total === null) return null
  return (
    <p className="muted small" data-testid="directory-count" role="status">
      {total === 0
        ? `No ${what}`
        : `Showing ${shown.toLocaleString('en')} of ${total.toLocaleString('en')} ${what}${
            hidden > 0 ? ` (${hidden.toLocaleString('en')} test-run hidden)` : ''
          }`}
    </p>
  )
}

/** "Show test-run users (N)", as the log's "Show test traffic (N)"; absent when there are none. */
function TestUsersToggle({
  shown,
  hidden,
  more,
  onToggle,
}: {
  shown: boolean
  hidden: number
  more: boolean
  onToggle: (show: boolean) => void
}) {
  if (hidden === 0) return null
  const n = `${hidden.toLocaleString('en')}${more ? ' so far' : ''}`
  return (
    <button
      type="button"
      className={`button small-button ${shown ? 'chip-on' : ''}`}
      aria-pressed={shown}
      data-testid="directory-test-users-toggle"
      data-count={hidden}
      title="Users the pre-go-live test or “replay this user” created"
      onClick={() => onToggle(!shown)}
    >
      {shown ? `Hide test-run users (${n})` : `Show test-run users (${n})`}
    </button>
  )
}

/** An email-like name may wrap after its "@" on a narrow window, and nowhere else. */
function BreakAtSign({ text }: { text: string }) {
  const at = text.indexOf('@')
  if (at <= 0) return <>{text}</>
  return (
    <>
      {text.slice(0, at)}
      <wbr />
      {text.slice(at)}
    </>
  )
}

function UsersTable({
  users,
  openStory,
}: {
  users: DirectoryUser[]
  openStory: (userName: string) => void
}) {
  return (
    <div className="directory-table-wrap">
      <table className="table directory-table" data-testid="directory-users">
        <thead>
          <tr>
            <th scope="col">User</th>
            <th scope="col">State</th>
            <th scope="col">Groups</th>
            <th scope="col">Source</th>
            <th scope="col">Last change</th>
            <th scope="col">
              <span className="directory-sr-only">Story</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.id} data-testid="directory-user-row" data-user-name={u.userName}>
              <td className="directory-name">
                <strong>
                  <BreakAtSign text={u.userName} />
                </strong>
                {u.displayName || u.externalId ? (
                  <span className="muted small">
                    {[u.displayName, u.externalId && `ext. ${u.externalId}`]
                      .filter(Boolean)
                      .join(' · ')}
                  </span>
                ) : null}
              </td>
              <td>
                <StatePill active={u.active} />
              </td>
              <td data-testid="directory-user-groups">
                {u.groups.length === 0 ? (
                  <span className="muted small">None</span>
                ) : (
                  <span className="directory-groups-list">
                    {u.groups.map((g) => (
                      <span key={g} className="tag">
                        {g}
                      </span>
                    ))}
                  </span>
                )}
              </td>
              <td>
                <SourceCell source={u.source} />
              </td>
              <td>
                <LastChangeCell change={u.lastChange} lastModified={u.lastModified} />
              </td>
              <td className="directory-actions">
                <button
                  type="button"
                  className="button small-button"
                  data-testid="directory-story"
                  aria-label={`Story of ${u.userName} in the provisioning log`}
                  onClick={() => openStory(u.userName)}
                >
                  Story
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

export function DirectoryScreen() {
  const { target, list } = useActiveTarget()
  const stream = useDirectoryLive(target)
  const [tab, setTab] = useState<Tab>('users')
  const [search, setSearch] = useState<Record<Tab, string>>({ users: '', groups: '' })
  const q = useDebounced(search, SEARCH_DEBOUNCE_MS)
  const users = useDirectoryUsers(target, q.users.trim())
  const [showTestUsers, setShowTestUsers] = useState(false)
  const userRows = visibleUsers(users.items, showTestUsers)
  const groups = useDirectoryGroups(target, q.groups.trim())
  const openStory = useOpenStory()
  const current = tab === 'users' ? users : groups
  const error = [list.error, current.query.error].map(errorData).find((e) => e !== null) ?? null

  const showUser = (userName: string) => {
    setSearch((s) => ({ ...s, users: userName }))
    setTab('users')
  }

  const tabs: { id: Tab; label: string; total: number | null }[] = [
    { id: 'users', label: 'Users', total: users.total },
    { id: 'groups', label: 'Groups', total: groups.total },
  ]

  return (
    <div className="screen screen-wide" data-testid="directory-screen">
      <header className="screen-header">
        <h1>Directory</h1>
        <p className="lede">
          Who is in the tenant and in which groups: each user’s and group’s state, the client that
          created it, its last change, and its story in the provisioning log. Updated live.
        </p>
      </header>

      <div className="directory-toolbar">
        <div
          className="tabs directory-tabs"
          role="tablist"
          aria-label="Users or groups"
          onKeyDown={(e) => rovingKeyDown(e, 'tab', (t) => setTab(t.dataset.tab as Tab))}
        >
          {tabs.map((t) => (
            <button
              key={t.id}
              id={`directory-tab-${t.id}`}
              type="button"
              role="tab"
              aria-selected={tab === t.id}
              aria-controls="directory-panel"
              tabIndex={tab === t.id ? 0 : -1}
              className={`tab ${tab === t.id ? 'tab-active' : ''}`}
              data-testid={`directory-tab-${t.id}`}
              data-tab={t.id}
              onClick={() => setTab(t.id)}
            >
              {t.label}
              {t.total !== null ? <span className="directory-tab-count">{t.total}</span> : null}
            </button>
          ))}
        </div>
        <label className="directory-search">
          <span className="directory-sr-only">
            {tab === 'users'
              ? 'Search users by userName, display name or external id'
              : 'Search groups by name or external id'}
          </span>
          <input
            type="search"
            className="text-input"
            data-testid="directory-search"
            placeholder={
              tab === 'users' ? 'Search userName, name or external id' : 'Search group name'
            }
            value={search[tab]}
            onChange={(e) => setSearch((s) => ({ ...s, [tab]: e.target.value }))}
          />
        </label>
        <StreamBadge state={stream.state} />
      </div>

      {error ? <ErrorPanel error={error} testId="directory-error" /> : null}

      <section
        id="directory-panel"
        role="tabpanel"
        aria-labelledby={`directory-tab-${tab}`}
        className="directory-panel"
      >
        {tab === 'users' ? (
          <>
            <div className="directory-count-row">
              <Shown
                shown={userRows.shown.length}
                total={users.total}
                what="users"
                hidden={showTestUsers ? 0 : userRows.hidden}
              />
              <TestUsersToggle
                shown={showTestUsers}
                hidden={userRows.hidden}
                more={users.query.hasNextPage}
                onToggle={setShowTestUsers}
              />
            </div>
            {users.query.isPending && target ? (
              <p className="pending" role="status">
                Loading users…
              </p>
            ) : null}
            {userRows.shown.length > 0 ? (
              <UsersTable users={userRows.shown} openStory={openStory} />
            ) : null}
            {users.query.hasNextPage ? (
              <button
                type="button"
                className="button directory-more"
                data-testid="directory-more"
                disabled={users.query.isFetchingNextPage}
                onClick={() => void users.query.fetchNextPage()}
              >
                {users.query.isFetchingNextPage ? 'Loading…' : 'Load more users'}
              </button>
            ) : null}
          </>
        ) : (
          <DirectoryGroups
            target={target}
            groups={groups}
            showUser={showUser}
            shown={<Shown shown={groups.items.length} total={groups.total} what="groups" />}
          />
        )}
      </section>
    </div>
  )
}
