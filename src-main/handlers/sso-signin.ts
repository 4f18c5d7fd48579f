import type { ssoSignInChannels } from '../../src-shared/channels/sso-signin.ts'
import type { AppServices } from '../app-services.ts'
import type { DomainHandlers } from './handler-types.ts'

export function ssoSignInHandlers({
  ssoSignIn,
}: AppServices): DomainHandlers<typeof ssoSignInChannels> {
  return {
    'sso.testSignIn': (target) => ssoSignIn.testSignIn(target),
    'sso.openLogin': (input) => ssoSignIn.openLogin(input),
    'sso.events': (input) => ssoSignIn.events(input),
    'sso.explain': (input) => ssoSignIn.explain(input),
    'sso.explainEvent': (input) => ssoSignIn.explainEvent(input),
    'saml.inspect': (input) => ssoSignIn.inspect(input),
  }
}
