import type { AppErrorData, Result } from '../../src-shared/contract.ts'

/** A failed call as a thrown value, so react-query's error state carries the envelope. */
export class ApiError extends Error {
  readonly data: AppErrorData
  constructor(data: AppErrorData) {
    super(data.message)
    this.name = 'ApiError'
    this.data = data
  }
}

export async function unwrap<T>(pending: Promise<Result<T>>): Promise<T> {
  const result = await pending
  if (!result.ok) throw new ApiError(result.error)
  return result.value
}

/** The envelope of a react-query error, or null when there is none (or it is not ours). */
export const errorData = (err: unknown): AppErrorData | null =>
  err instanceof ApiError ? err.data : null
