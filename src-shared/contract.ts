import { z } from 'zod'
import type { AppErrorData, Result } from './errors.ts'
import { idpMetadataSchema } from './metadata.ts'

/**
 * The one contract between the renderer and main, named `domain.verb`. The preload, the IPC
 * registrar, the web host and the renderer's api module are all derived from these two maps, so a
 * channel name is never typed twice. Adding a channel: one entry here, one handler in
 * src-main/services.ts (the compiler insists), and the contract snapshot test is updated.
 */

/**
 * What the renderer may hand to `metadata.inspect`. Deliberately narrower than MetadataSource
 * (src-shared/metadata.ts): no `{ kind: 'file', path }`, so a compromised renderer cannot make main
 * read an arbitrary path. Files reach main as text (drop, browser picker) or through the native
 * dialog (`metadata.pickFile`), which reads the file the person chose.
 */
export const rendererMetadataSourceSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('text'),
    text: z.string().min(1),
    name: z.string().max(500).optional(),
  }),
  z.object({ kind: z.literal('url'), url: z.string().min(1).max(8192) }),
])

const emptyInput = z.object({}).strict()

export const contract = {
  'app.info': {
    input: emptyInput,
    output: z.object({ name: z.string(), version: z.string(), runtime: z.string() }),
  },
  'metadata.inspect': {
    input: z.object({
      source: rendererMetadataSourceSchema,
      entityId: z.string().min(1).optional(),
    }),
    output: idpMetadataSchema,
  },
  'metadata.pickFile': {
    input: emptyInput,
    // The chosen file's content, read in main with the same size cap as any metadata; null when
    // the person cancels.
    output: z.object({ name: z.string(), text: z.string() }).nullable(),
  },
  'clipboard.writeText': {
    input: z.object({ text: z.string().max(1_000_000) }).strict(),
    output: z.object({ written: z.literal(true) }),
  },
} as const

/** Main-to-renderer streams. Each payload is validated by the sender. */
export const events = {
  'app.log': z.object({
    time: z.string(),
    level: z.enum(['debug', 'info', 'warn', 'error']),
    msg: z.string(),
  }),
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
