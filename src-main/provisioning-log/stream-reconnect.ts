import { AppError } from '../../src-shared/errors.ts'

/** When and whether the event stream reconnects: backoff, and the failures not worth retrying. */

export interface BackoffOptions {
  initialMs: number
  maxMs: number
  factor: number
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 500, maxMs: 30_000, factor: 2 }

/** Exponential backoff with "equal jitter": bounded above by maxMs and never below half the step. */
export function backoffDelay(
  attempt: number,
  opts: BackoffOptions,
  random: () => number = Math.random,
): number {
  const step = Math.min(opts.maxMs, opts.initialMs * opts.factor ** Math.max(0, attempt - 1))
  return Math.round(step / 2 + (random() * step) / 2)
}

/** A wrong key or an unknown tenant will not fix itself by retrying. */
export function isFatal(err: unknown): boolean {
  if (!(err instanceof AppError)) return false
  if (err.code === 'backend.unauthorized') return true
  const status = (err.details as { status?: number } | undefined)?.status
  return err.code === 'backend.http_error' && (status === 404 || status === 400)
}

export function describeFailure(err: unknown): string {
  if (err instanceof AppError) return err.message
  if (err instanceof Error) return err.message
  return String(err)
}
