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
])
export type ScreenId = z.infer<typeof screenIdSchema>

export const appChannels = {
  'app.info': {
    input: emptyInput,
    output: z.object({ name: z.string(), version: z.string(), runtime: z.string() }),
  },
  'clipboard.writeText': {
    input: z.object({ text: z.string().max(1_000_000) }).strict(),
    output: z.object({ written: z.literal(true) }),
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
} as const
