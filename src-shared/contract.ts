import { z } from 'zod'
import type { AppErrorData, Result } from './errors.ts'
import { appChannels, appEvents } from './channels/app.ts'
import { metadataChannels } from './channels/metadata.ts'
import { connectionsChannels } from './channels/connections.ts'
import { tokensChannels } from './channels/tokens.ts'
import { ssoChannels } from './channels/sso.ts'
import { ssoSignInChannels } from './channels/sso-signin.ts'
import { logChannels, logEvents } from './channels/log.ts'
import { harnessChannels, harnessEvents } from './channels/harness.ts'
import { onboardingChannels } from './channels/onboarding.ts'
import { directoryChannels } from './channels/directory.ts'

/**
 * The one contract between the renderer and main, named `domain.verb`. The preload, the IPC
 * registrar, the web host and the renderer's api module are all derived from these two maps, so a
 * channel name is never typed twice. Adding a channel: one entry in src-shared/channels/<domain>.ts
 * (spread below), one handler in src-main/handlers/<domain>.ts (the compiler insists), and the
 * contract snapshot test is updated.
 */

export { rendererMetadataSourceSchema } from './channels/metadata.ts'

// Each domain declares its channels and events in src-shared/channels/<domain>.ts; this file
// merges them, so domains can grow side by side without editing one shared literal.
export const contract = {
  ...appChannels,
  ...metadataChannels,
  ...connectionsChannels,
  ...tokensChannels,
  ...ssoChannels,
  ...ssoSignInChannels,
  ...logChannels,
  ...harnessChannels,
  ...onboardingChannels,
  ...directoryChannels,
} as const

/** Main-to-renderer streams. Each payload is validated by the sender. */
export const events = {
  ...appEvents,
  ...logEvents,
  ...harnessEvents,
} as const

export type Contract = typeof contract
export type Channel = keyof Contract
export type ChannelInput<K extends Channel> = z.input<Contract[K]['input']>
export type ChannelOutput<K extends Channel> = z.output<Contract[K]['output']>
export type EventName = keyof typeof events
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>

export const channels = Object.keys(contract) as Channel[]
export const eventNames = Object.keys(events) as EventName[]

export function isChannel(name: string): name is Channel {
  return Object.hasOwn(contract, name)
}

export function isEventName(name: string): name is EventName {
  return Object.hasOwn(events, name)
}

/** What the renderer calls. Every call resolves; failures are `{ ok: false, error }`, never a throw. */
export type ContractApi = {
  [K in Channel]: (input: ChannelInput<K>) => Promise<Result<ChannelOutput<K>>>
}

/** The object the preload exposes as `window.api` and the web transport imitates. */
export type RendererApi = ContractApi & {
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void
}

export type { AppErrorData, Result }

/** JSON Schema of the whole surface, for the snapshot test that makes every IPC change visible. */
export function contractJsonSchema(): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [name, def] of Object.entries(contract)) {
    out[name] = {
      input: z.toJSONSchema(def.input, { io: 'input' }),
      output: z.toJSONSchema(def.output, { io: 'output' }),
    }
  }
  for (const [name, schema] of Object.entries(events)) {
    out[`event:${name}`] = z.toJSONSchema(schema)
  }
  return out
}
