import { toErrorData } from '../../src-shared/errors.ts'
import { redactString } from '../../src-shared/redact.ts'

/**
 * What the person sees when the app cannot start (a bad SCIM_CONSOLE_SECRET_STORE, an unreadable
 * data folder...): a dialog with the cause and the fix, then the process exits non-zero. Without
 * this, a rejected startup left an invisible process holding the single-instance lock, and every
 * later launch handed over to it and quit.
 */
export interface StartupFailure {
  title: string
  /** Dialog body: what happened, then what to do. */
  body: string
  exitCode: number
}

export const STARTUP_EXIT_CODE = 1

export function describeStartupFailure(err: unknown, logFile?: string): StartupFailure {
  const data = toErrorData(err)
  const known = data.code !== 'internal'
  const cause = known ? data.message : String((err as Error)?.message ?? err)
  const fix =
    (known ? data.hint : undefined) ??
    'Try starting scim-console again. If it keeps failing, send the log file to your support contact.'
  const lines = [
    redactString(cause),
    '',
    `What to do: ${redactString(fix)}`,
    ...(known ? [] : ['', `Error code: ${data.code}`]),
    ...(logFile ? ['', `Details are in ${logFile}`] : []),
  ]
  return {
    title: 'scim-console could not start',
    body: lines.join('\n'),
    exitCode: STARTUP_EXIT_CODE,
  }
}

/** Which logger method a line from the embedded backend goes to: its debug lines are not errors. */
export function backendLogLevel(level: unknown): 'debug' | 'info' | 'warn' | 'error' {
  return level === 'debug' || level === 'info' || level === 'warn' || level === 'error'
    ? level
    : 'info'
}
