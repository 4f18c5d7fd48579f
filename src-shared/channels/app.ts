import { z } from 'zod'

const emptyInput = z.object({}).strict()

/** The renderer's screens; the menu, its shortcuts and the renderer's navigation all use these ids. */
export const screenIdSchema = z.enum([
  'onboarding',
  'metadata',
  'connection',
  'tokens',
  'conformance',
  'log',
  'sso-log',
  'directory',
])
export type ScreenId = z.infer<typeof screenIdSchema>

/**
 * The embedded reference backend as the desktop shell supervises it: restarted after a crash,
 * given up after repeated crashes (src-main/backend-supervisor.ts).
 */
export const embeddedBackendStateSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('stopped') }),
  z.object({ state: z.literal('starting') }),
  z.object({ state: z.literal('running'), restarts: z.number().int().nonnegative() }),
  z.object({
    state: z.literal('restarting'),
    restarts: z.number().int().nonnegative(),
    reason: z.string(),
    retryInMs: z.number().nonnegative(),
  }),
  z.object({
    state: z.literal('failed'),
    restarts: z.number().int().nonnegative(),
    reason: z.string(),
  }),
])
export type EmbeddedBackendState = z.infer<typeof embeddedBackendStateSchema>

export const appChannels = {
  'app.info': {
    input: emptyInput,
    output: z.object({ name: z.string(), version: z.string(), runtime: z.string() }),
  },
  'app.backendState': { input: emptyInput, output: embeddedBackendStateSchema },
  'clipboard.writeText': {
    input: z.object({ text: z.string().max(1_000_000) }).strict(),
    output: z.object({ written: z.literal(true) }),
  },
  // The renderer logs through the contract: its error boundary reports a crashed screen here, and
  // main writes it to its one logger (redacted at the sink like every other line).
  'app.reportError': {
    input: z
      .object({
        message: z.string().max(2_000),
        stack: z.string().max(20_000).optional(),
        screen: screenIdSchema.optional(),
      })
      .strict(),
    output: z.object({ logged: z.literal(true) }),
  },
} as const

export const appEvents = {
  'app.log': z.object({
    time: z.string(),
    level: z.enum(['debug', 'info', 'warn', 'error']),
    msg: z.string(),
  }),
  // The application menu's View > screen items (Ctrl/Cmd+1..6) ask the renderer to switch screens.
  'app.navigate': z.object({ screen: screenIdSchema }),
  // The embedded backend crashed, was restarted, or was given up on.
  'app.backendChanged': embeddedBackendStateSchema,
} as const
