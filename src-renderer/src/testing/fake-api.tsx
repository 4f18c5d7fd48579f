import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import type { ReactNode } from 'react'
import type {
  Channel,
  ChannelInput,
  ChannelOutput,
  EventName,
  EventPayload,
  RendererApi,
  Result,
} from '../../../src-shared/contract.ts'
import { ApiProvider } from '../api-context.tsx'

type Answers = {
  [K in Channel]?: (input: ChannelInput<K>) => ChannelOutput<K> | Promise<ChannelOutput<K>>
}

/**
 * A stand-in for main in component tests (the house style's test layer 2): channels answer from
 * `answers`, every call is recorded, and `emit` plays an event as main would send it. A channel
 * the test did not answer fails with an envelope naming it, so a test never passes by accident.
 */
export function createFakeApi(answers: Answers) {
  const calls: { channel: Channel; input: unknown }[] = []
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>()
  const api = new Proxy({} as RendererApi, {
    get(_, key: string) {
      if (key === 'on')
        return (event: EventName, listener: (payload: unknown) => void) => {
          const set = listeners.get(event) ?? new Set()
          set.add(listener)
          listeners.set(event, set)
          return () => set.delete(listener)
        }
      return async (input: unknown): Promise<Result<unknown>> => {
        calls.push({ channel: key as Channel, input })
        const answer = (answers as Record<string, ((i: unknown) => unknown) | undefined>)[key]
        if (!answer)
          return {
            ok: false,
            error: { code: 'internal', message: `the fake api has no answer for ${key}` },
          }
        return { ok: true, value: await answer(input) }
      }
    },
  })
  return {
    api,
    calls,
    emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
      for (const listener of listeners.get(event) ?? []) listener(payload)
    },
    listenerCount: (event: EventName) => listeners.get(event)?.size ?? 0,
  }
}

/** The providers the app's components expect, with the fake api and a fresh query cache. */
export function withFakeApi(api: RendererApi) {
  const client = new QueryClient({
    defaultOptions: { queries: { retry: false }, mutations: { retry: false } },
  })
  return function Providers({ children }: { children: ReactNode }) {
    return (
      <QueryClientProvider client={client}>
        <ApiProvider api={api}>{children}</ApiProvider>
      </QueryClientProvider>
    )
  }
}
