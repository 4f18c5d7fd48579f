import { Component, type ErrorInfo, type ReactNode } from 'react'
import type { ScreenId } from '../../../src-shared/channels/app.ts'
import type { RendererApi } from '../../../src-shared/contract.ts'
import { useApi } from '../api-context.tsx'

interface Props {
  /** Which screen this boundary guards: named in the message and in the report to main. */
  screen: ScreenId
  title: string
  children: ReactNode
}

/**
 * One crashed screen must not blank the whole window: the boundary shows what happened with a
 * retry, and reports the error to main's log through the contract (`app.reportError`).
 */
export function ErrorBoundary(props: Props) {
  return <Boundary {...props} api={useApi()} />
}

class Boundary extends Component<Props & { api: RendererApi }, { error: Error | null }> {
  override state = { error: null as Error | null }

  static getDerivedStateFromError(error: unknown) {
    return { error: error instanceof Error ? error : new Error(String(error)) }
  }

  override componentDidCatch(error: unknown, info: ErrorInfo) {
    const err = error instanceof Error ? error : new Error(String(error))
    const stack = [err.stack, info.componentStack].filter(Boolean).join('\n')
    // Best effort: a report that fails to arrive must not throw from the boundary itself.
    void this.props.api['app.reportError']({
      message: err.message.slice(0, 2_000),
      ...(stack ? { stack: stack.slice(0, 20_000) } : {}),
      screen: this.props.screen,
    }).catch(() => undefined)
  }

  override render() {
    const { error } = this.state
    if (!error) return this.props.children
    return (
      <div className="screen" data-testid="screen-error" data-screen={this.props.screen}>
        <div className="error-panel" role="alert">
          <div className="error-title">The {this.props.title} screen stopped working.</div>
          <div className="error-hint">
            {error.message || 'An unexpected error happened.'} The error was written to the app’s
            log. Try again; if it happens again, restart the app.
          </div>
        </div>
        <button
          type="button"
          className="button button-primary"
          data-testid="screen-error-retry"
          onClick={() => this.setState({ error: null })}
        >
          Try again
        </button>
      </div>
    )
  }
}
