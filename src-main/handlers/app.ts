import type { appChannels } from '../../src-shared/channels/app.ts'
import pkg from '../../package.json' with { type: 'json' }
import type { DomainHandlers, HandlerDeps } from './handler-deps.ts'

export function appHandlers(deps: HandlerDeps): DomainHandlers<typeof appChannels> {
  return {
    'app.info': async () => ({ name: pkg.name, version: pkg.version, runtime: deps.runtime }),
    'clipboard.writeText': async ({ text }) => {
      await deps.platform.writeClipboard(text)
      return { written: true }
    },
  }
}
