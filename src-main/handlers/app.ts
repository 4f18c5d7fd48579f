import type { appChannels } from '../../src-shared/channels/app.ts'
import type { AppServices } from '../app-services.ts'
import type { DomainHandlers } from './handler-types.ts'

export function appHandlers(services: AppServices): DomainHandlers<typeof appChannels> {
  return {
    'app.info': async () => services.app.info(),
    'app.backendState': async () => services.backends.embeddedState(),
    'clipboard.writeText': async ({ text }) => {
      await services.clipboard.writeText(text)
      return { written: true }
    },
  }
}
