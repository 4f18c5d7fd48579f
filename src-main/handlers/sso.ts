import type { ssoChannels } from '../../src-shared/channels/sso.ts'
import type { AppServices } from '../app-services.ts'
import type { DomainHandlers } from './handler-types.ts'

export function ssoHandlers({ sso }: AppServices): DomainHandlers<typeof ssoChannels> {
  return {
    'sso.diff': (input) => sso.diff(input),
    'sso.push': (input) => sso.push(input),
  }
}
