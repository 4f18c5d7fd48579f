import type { AppErrorData, RendererApi, Result } from '../../src-shared/contract.ts'
import { createWebApi, takeTokenFromLocation } from './web-transport.ts'

/**
 * The renderer's only door to main. Electron's preload provides `window.api`; in a plain browser
 * the same contract goes over the loopback web host. Nothing else in the renderer knows which.
 */
export const api: RendererApi = window.api ?? createWebApi({ token: takeTokenFromLocation() })

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
