import type { harnessChannels } from '../../src-shared/channels/harness.ts'
import type { AppServices } from '../app-services.ts'
import type { DomainHandlers } from './handler-types.ts'

/**
 * The Conformance screen's door to the process's one harness service: runs outlive the screen,
 * progress goes out as `harness.progress`, and quitting the app cancels them (app-services.ts).
 */
export function harnessHandlers({
  harness,
  backends,
}: AppServices): DomainHandlers<typeof harnessChannels> {
  return {
    'harness.start': async ({ token, ...settings }) => {
      // A token the console holds is read from the keychain here: its secret never crosses IPC,
      // and it is only ever sent to the SCIM base URL of the tenant it belongs to.
      const secret =
        token.source === 'pasted'
          ? token.value
          : await (
              await backends.access()
            ).revealTokenFor(token.connection, token.tenantId, token.tokenId, settings.baseUrl)
      return harness.start({ ...settings, token: secret })
    },
    'harness.cancel': async ({ runId }) => harness.cancel(runId),
    'harness.report': async ({ runId }) => ({ report: harness.report(runId) ?? null }),
    'harness.export': async ({ runId, format }) => harness.export(runId, format),
  }
}
