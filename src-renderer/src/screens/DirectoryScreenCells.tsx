import type { DirectoryClient, DirectoryUser } from '../../../src-shared/channels/directory.ts'
import { formatDateTime } from '../lib/format-time.ts'
import { toneClass } from '../lib/tone.ts'
import { useLogUi } from '../use-log-ui.ts'
import { useUiStore } from '../use-ui-store.ts'

/** The Directory's shared cells (users and groups) and its ways into the provisioning log. */

const CLIENT_LABELS: Record<DirectoryClient, string> = {
  okta: 'Okta',
  entra: 'Entra ID',
  console: 'This console (test)',
  other: 'Other client',
  unknown: 'Unknown',
}

const CHANGE_LABELS: Record<string, string> = {
  created: 'Created',
  updated: 'Updated',
  deactivated: 'Deactivated',
  reactivated: 'Reactivated',
  membership_changed: 'Groups changed',
}

/** Which client created it, with the User-Agent on hover; "unknown" says why. */
export function SourceCell({ source }: { source: DirectoryUser['source'] }) {
  const title =
    source.userAgent ??
    (source.seq === null
      ? 'The event that created it is no longer in the log.'
      : 'The request sent no User-Agent.')
  return (
    <span className="directory-source" title={title} data-testid="directory-source">
      <span className={`tag ${source.client === 'unknown' ? '' : toneClass('info', 'fill')}`}>
        {CLIENT_LABELS[source.client]}
      </span>
    </span>
  )
}

/** "7 Dec 2026, 05:44 UTC": short enough for a table cell; the seconds are in the title. */
function shortDateTime(iso: string): string {
  return formatDateTime(iso).replace(/(\d\d:\d\d):\d\d UTC$/, '$1 UTC')
}

/** The newest change with its date; the resource's own modification time when the log has none. */
export function LastChangeCell({
  change,
  lastModified,
  membershipLabel = 'Groups changed',
}: {
  change: DirectoryUser['lastChange']
  lastModified: string
  membershipLabel?: string
}) {
  const what = change
    ? change.outcome === 'membership_changed'
      ? membershipLabel
      : (CHANGE_LABELS[change.outcome] ?? change.outcome)
    : 'Modified'
  return (
    <span className="directory-change" data-testid="directory-last-change">
      <span>{what}</span>
      <time
        className="muted small"
        dateTime={change?.time ?? lastModified}
        title={formatDateTime(change?.time ?? lastModified)}
      >
        {shortDateTime(change?.time ?? lastModified)}
      </time>
    </span>
  )
}

export function StatePill({ active }: { active: boolean }) {
  return (
    <span
      className={`tag directory-state ${toneClass(active ? 'good' : 'warn', 'fill')}`}
      data-testid="directory-state"
      data-active={active}
    >
      {active ? 'Active' : 'Inactive'}
    </span>
  )
}

/** Opens the provisioning log filtered to one group's events (the story search is for users). */
export function useOpenGroupEvents() {
  const setScreen = useUiStore((s) => s.setScreen)
  return (groupId: string) => {
    const log = useLogUi.getState()
    log.openStory(null)
    log.setFilter({ user: groupId })
    setScreen('log')
  }
}

/** Opens the provisioning log's story of one user (the log screen's "Why is a user not showing up?"). */
export function useOpenStory() {
  const setScreen = useUiStore((s) => s.setScreen)
  return (userName: string) => {
    useLogUi.getState().openStory(userName)
    setScreen('log')
  }
}
