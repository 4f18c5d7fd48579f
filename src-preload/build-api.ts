import {
  channels,
  isEventName,
  type Channel,
  type EventName,
  type RendererApi,
} from '../src-shared/contract.ts'
import type { Result } from '../src-shared/errors.ts'

export type Invoke = (channel: Channel, input: unknown) => Promise<unknown>
export type Subscribe = (event: EventName, listener: (payload: unknown) => void) => () => void

/**
 * Builds `window.api` from the contract's channel list: one function per channel plus `on` for the
 * events map, and nothing else. Kept free of Electron so it can be tested in Node.
 */
export function buildApi(invoke: Invoke, subscribe: Subscribe): RendererApi {
  const api: Record<string, unknown> = {}
  for (const channel of channels) {
    api[channel] = async (input: unknown): Promise<Result<unknown>> => {
      try {
        return (await invoke(channel, input ?? {})) as Result<unknown>
      } catch {
        // Electron rejects an invoke only when main has no handler or the frame is gone.
        return {
          ok: false,
          error: {
            code: 'internal',
            message: `The call ${channel} did not reach the main process.`,
          },
        }
      }
    }
  }
  api.on = (event: string, listener: (payload: unknown) => void): (() => void) => {
    if (!isEventName(event)) throw new Error(`Unknown event "${event}"`)
    return subscribe(event, listener)
  }
  return Object.freeze(api) as unknown as RendererApi
}
