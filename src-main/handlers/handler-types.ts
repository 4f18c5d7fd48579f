import type { z } from 'zod'
import type { Channel, ChannelOutput, contract } from '../../src-shared/contract.ts'

/** Handler for one channel: validated input in, contract output out (checked again on the way out). */
export type Handlers = {
  [K in Channel]: (input: z.output<(typeof contract)[K]['input']>) => Promise<ChannelOutput<K>>
}

/** The handlers of one domain's channel map, typed from that map alone. */
export type DomainHandlers<C extends Record<string, { input: z.ZodType; output: z.ZodType }>> = {
  [K in keyof C]: (input: z.output<C[K]['input']>) => Promise<z.output<C[K]['output']>>
}
