import { useBackendState } from '../use-backend-state.ts'

/**
 * Says when the embedded reference backend crashed: restarting (calls wait meanwhile), back after
 * a crash, or given up after repeated crashes with the reason and what to do.
 */
export function BackendStateBanner() {
  const state = useBackendState().data
  if (!state) return null
  if (state.state === 'restarting') {
    return (
      <div className="backend-banner tone-warn" role="status" data-testid="backend-state-banner">
        <strong>The local backend stopped unexpectedly and is being restarted.</strong> Requests
        wait until it is back. ({state.reason})
      </div>
    )
  }
  if (state.state === 'failed') {
    return (
      <div className="backend-banner tone-bad" role="alert" data-testid="backend-state-banner">
        <strong>The local backend kept crashing and was not restarted again.</strong> {state.reason}
        . Quit and reopen scim-console; if it happens again, check the disk holding the app&rsquo;s
        data folder, or add a backend connection on the Connection screen.
      </div>
    )
  }
  if (state.state === 'running' && state.restarts > 0) {
    return (
      <div className="backend-banner tone-info" role="status" data-testid="backend-state-banner">
        The local backend was restarted after a crash
        {state.restarts > 1 ? ` (${state.restarts} times)` : ''}; its data is kept.
      </div>
    )
  }
  return null
}
