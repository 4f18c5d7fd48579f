import type { ReactNode } from 'react'
import { useState } from 'react'
import { errorData } from '../api-error.ts'
import { ErrorPanel } from '../components/ErrorPanel.tsx'
import type { ActiveTarget } from '../use-connections.ts'
import type { useDirectoryGroups } from '../use-directory.ts'
import { useGroupMembers } from '../use-directory.ts'
import {
  LastChangeCell,
  SourceCell,
  StatePill,
  useOpenGroupEvents,
} from './DirectoryScreenCells.tsx'

function Members({
  target,
  groupId,
  showUser,
}: {
  target: ActiveTarget | null
  groupId: string
  showUser: (userName: string) => void
}) {
  const members = useGroupMembers(target, groupId)
  const error = errorData(members.query.error)
  return (
    <section
      className="card directory-members"
      data-testid="directory-members"
      aria-labelledby="directory-members-title"
    >
      <h2 className="card-title" id="directory-members-title">
        {members.displayName ? `Members of ${members.displayName}` : 'Members'}
        {members.total !== null ? <span className="count"> {members.total}</span> : null}
      </h2>
      {error ? <ErrorPanel error={error} testId="directory-members-error" /> : null}
      {members.query.isPending ? (
        <p className="pending" role="status">
          Loading members…
        </p>
      ) : members.items.length === 0 ? (
        <p className="muted">No members.</p>
      ) : (
        <table className="table compact">
          <thead>
            <tr>
              <th scope="col">Member</th>
              <th scope="col">State</th>
            </tr>
          </thead>
          <tbody>
            {members.items.map((m) => (
              <tr key={m.id} data-testid="directory-member-row" data-member={m.display ?? m.id}>
                <td>
                  {m.type === 'User' && m.display ? (
                    <button
                      type="button"
                      className="link-button directory-member-link"
                      data-testid="directory-member-link"
                      aria-label={`Show user ${m.display}`}
                      onClick={() => showUser(m.display!)}
                    >
                      {m.display}
                    </button>
                  ) : (
                    <span>
                      {m.display ?? m.id}{' '}
                      {m.type === 'Group' ? <span className="muted small">(group)</span> : null}
                    </span>
                  )}
                </td>
                <td>{m.active === null ? null : <StatePill active={m.active} />}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {members.query.hasNextPage ? (
        <button
          type="button"
          className="button small-button"
          data-testid="directory-members-more"
          disabled={members.query.isFetchingNextPage}
          onClick={() => void members.query.fetchNextPage()}
        >
          Load more members
        </button>
      ) : null}
    </section>
  )
}

export function DirectoryGroups({
  target,
  groups,
  showUser,
  shown,
}: {
  target: ActiveTarget | null
  groups: ReturnType<typeof useDirectoryGroups>
  showUser: (userName: string) => void
  shown: ReactNode
}) {
  const [selected, setSelected] = useState<string | null>(null)
  const openEvents = useOpenGroupEvents()
  const chosen = groups.items.some((g) => g.id === selected) ? selected : null
  return (
    <div className={`directory-groups ${chosen ? 'directory-groups-open' : ''}`}>
      <div>
        {shown}
        {groups.query.isPending && target ? (
          <p className="pending" role="status">
            Loading groups…
          </p>
        ) : null}
        {groups.items.length > 0 ? (
          <div className="directory-table-wrap">
            <table className="table directory-table" data-testid="directory-groups">
              <thead>
                <tr>
                  <th scope="col">Group</th>
                  <th scope="col">Members</th>
                  <th scope="col">Source</th>
                  <th scope="col">Last change</th>
                  <th scope="col">
                    <span className="directory-sr-only">Events</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {groups.items.map((g) => (
                  <tr
                    key={g.id}
                    data-testid="directory-group-row"
                    data-group={g.displayName}
                    className={g.id === chosen ? 'directory-row-selected' : undefined}
                  >
                    <td className="directory-name">
                      <button
                        type="button"
                        className="link-button directory-group-link"
                        data-testid="directory-group-open"
                        aria-expanded={g.id === chosen}
                        onClick={() => setSelected(g.id === chosen ? null : g.id)}
                      >
                        {g.displayName}
                      </button>
                      {g.externalId ? (
                        <span className="muted small">ext. {g.externalId}</span>
                      ) : null}
                    </td>
                    <td data-testid="directory-member-count">{g.memberCount}</td>
                    <td>
                      <SourceCell source={g.source} />
                    </td>
                    <td>
                      <LastChangeCell
                        change={g.lastChange}
                        lastModified={g.lastModified}
                        membershipLabel="Members changed"
                      />
                    </td>
                    <td className="directory-actions">
                      <button
                        type="button"
                        className="button small-button"
                        data-testid="directory-group-events"
                        aria-label={`Events of group ${g.displayName} in the provisioning log`}
                        onClick={() => openEvents(g.id)}
                      >
                        Events
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
        {groups.query.hasNextPage ? (
          <button
            type="button"
            className="button directory-more"
            data-testid="directory-more"
            disabled={groups.query.isFetchingNextPage}
            onClick={() => void groups.query.fetchNextPage()}
          >
            {groups.query.isFetchingNextPage ? 'Loading…' : 'Load more groups'}
          </button>
        ) : null}
      </div>
      {chosen ? <Members target={target} groupId={chosen} showUser={showUser} /> : null}
    </div>
  )
}
