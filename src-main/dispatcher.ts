import type { z } from 'zod'
import {
  contract,
  isChannel,
  type Channel,
  type ChannelInput,
  type ChannelOutput,
} from '../src-shared/contract.ts'
import { AppError, toErrorData, type Result } from '../src-shared/errors.ts'
import type { Logger } from './logger.ts'
import type { Handlers } from './handlers/handler-types.ts'

/**
 * Both front doors (the Electron IPC registrar and the loopback web host) go through
 * `createDispatcher`, so validation, error envelopes and logging are identical for both. The
 * handlers come from `createHandlers(services)` (src-main/handlers/index.ts).
 */
export type { Handlers }

export type Dispatch = (channel: string, rawInput: unknown) => Promise<Result<unknown>>

/**
 * The trust boundary: input from the renderer is parsed against the contract before any service
 * sees it; output is parsed too, so the renderer only ever receives the contract's shape. Logs
 * channel, duration and result code, never the input (it may hold metadata or secrets).
 */
export function createDispatcher(opts: {
  handlers: Handlers
  logger: Logger
  now?: () => number
}): Dispatch {
  const now = opts.now ?? (() => performance.now())
  return async (channel, rawInput) => {
    const started = now()
    const result = await run(channel, rawInput)
    const code = result.ok ? 'ok' : result.error.code
    const fields = {
      channel: isChannel(channel) ? channel : '(unknown)',
      ms: Math.round(now() - started),
      code,
    }
    if (!result.ok && result.error.code === 'internal') opts.logger.error('ipc', fields)
    else opts.logger.info('ipc', fields)
    return result
  }

  async function run(channel: string, rawInput: unknown): Promise<Result<unknown>> {
    if (!isChannel(channel)) {
      return {
        ok: false,
        error: {
          code: 'ipc.unknown_channel',
          message: 'The requested channel is not part of the contract.',
          hint: 'Use one of the channels in src-shared/contract.ts.',
        },
      }
    }
    const def = contract[channel]
    const parsed = def.input.safeParse(rawInput ?? {})
    if (!parsed.success) {
      return {
        ok: false,
        error: {
          code: 'ipc.bad_input',
          message: `Invalid input for ${channel}: ${describeIssues(parsed.error)}.`,
          hint: 'The caller sent a value that does not match the contract; fix the caller.',
          details: parsed.error.issues.map((i) => ({
            path: i.path.map(String).join('.'),
            message: i.message,
          })),
        },
      }
    }
    try {
      const handler = opts.handlers[channel] as (input: unknown) => Promise<unknown>
      const value = await handler(parsed.data)
      const checked = def.output.safeParse(value)
      if (!checked.success) {
        opts.logger.error('ipc output off contract', {
          channel,
          issues: describeIssues(checked.error),
        })
        return { ok: false, error: toErrorData(new Error('output off contract')) }
      }
      return { ok: true, value: checked.data }
    } catch (err) {
      if (!(err instanceof AppError)) {
        // The stack goes to the log (redacted at the sink), never to the caller.
        opts.logger.error('ipc handler failed', {
          channel,
          error: String((err as Error)?.stack ?? err),
        })
      }
      return { ok: false, error: toErrorData(err) }
    }
  }
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.length ? i.path.map(String).join('.') : '(root)'}: ${i.message}`)
    .join('; ')
}

/** Typed convenience for main-side callers (tests, tools) that want the envelope of one channel. */
export async function call<K extends Channel>(
  dispatch: Dispatch,
  channel: K,
  input: ChannelInput<K>,
): Promise<Result<ChannelOutput<K>>> {
  return (await dispatch(channel, input)) as Result<ChannelOutput<K>>
}
