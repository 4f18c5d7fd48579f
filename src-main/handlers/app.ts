import type { appChannels } from '../../src-shared/channels/app.ts'
import type { AppServices } from '../app-services.ts'
import type { DomainHandlers } from './handler-types.ts'
import type { Logger } from '../logger.ts'

export function appHandlers(
  services: AppServices,
  logger: Logger,
): DomainHandlers<typeof appChannels> {
  return {
    'app.info': async () => services.app.info(),
    'app.backendState': async () => services.backends.embeddedState(),
    'clipboard.writeText': async ({ text }) => {
      await services.clipboard.writeText(text)
      return { written: true }
    },
    // A screen that crashed: its error goes to the front door's log (redacted at the sink).
    'app.reportError': async ({ message, stack, screen }) => {
      logger.error('renderer error', { message, stack, screen })
      return { logged: true }
    },
  }
}
