import type { AppErrorData } from '../../../src-shared/errors.ts'

export function ErrorPanel({ error, testId }: { error: AppErrorData; testId?: string }) {
  return (
    <div
      className="error-panel"
      role="alert"
      data-testid={testId ?? 'error-panel'}
      data-code={error.code}
    >
      <div className="error-title">{error.message}</div>
      {error.hint ? <div className="error-hint">{error.hint}</div> : null}
      <code className="error-code">{error.code}</code>
    </div>
  )
}
