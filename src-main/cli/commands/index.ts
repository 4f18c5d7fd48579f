import type { CliCommand } from '../command.ts'
import { connectionCommands } from './connection.ts'
import { tokenCommands } from './token.ts'
import { backendServeCommand } from './backend-serve.ts'
import { metadataInspectCommand } from './metadata-inspect.ts'
import { webCommand } from './web.ts'
import { logCommands } from './log.ts'
import { checkCommand } from './check.ts'
import { replayUserCommand } from './replay-user.ts'
import { samlInspectCommand } from './saml-inspect.ts'
import { ssoExplainCommand } from './sso-explain.ts'

// Each capability adds its commands here; the dispatcher picks the longest matching path.
export const commands: CliCommand[] = [
  // Listed in the order an admin meets them: SSO, the SCIM test, tokens, the log, the servers.
  metadataInspectCommand,
  samlInspectCommand,
  ssoExplainCommand,
  checkCommand,
  replayUserCommand,
  ...connectionCommands,
  ...tokenCommands,
  ...logCommands,
  backendServeCommand,
  webCommand,
]
