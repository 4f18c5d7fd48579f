import type { CliCommand, CliCommandEntry } from '../command.ts'

/** The command with this path from a module that exports several. */
function pick(list: CliCommand[], path: string[]): CliCommand {
  const found = list.find((c) => c.path.join(' ') === path.join(' '))
  if (!found) throw new Error(`No command "${path.join(' ')}" in its module.`)
  return found
}

/**
 * Every command: path, usage and summary for help, and its module loaded only when it runs (a
 * test checks these lines against the loaded commands). Listed in the order an admin meets them:
 * SSO, the SCIM test, tokens, the log, the servers; the dispatcher picks the longest matching path.
 */
export const commands: CliCommandEntry[] = [
  {
    path: ['metadata', 'inspect'],
    usage: 'metadata inspect <file-or-url|-> [--entity-id ID] [--json]',
    summary: 'Check SAML IdP metadata (file, URL, or - for stdin): exit 0 usable, 1 not usable.',
    load: async () => (await import('./metadata-inspect.ts')).metadataInspectCommand,
  },
  {
    path: ['saml', 'inspect'],
    usage:
      'saml inspect <file|-> [--tenant ID (--backend URL | --connection NAME) | --metadata FILE] [--json]',
    summary:
      'Decode a captured SAMLResponse or AuthnRequest locally and validate it as the ACS would: exit 0 valid, 1 not.',
    load: async () => (await import('./saml-inspect.ts')).samlInspectCommand,
  },
  {
    path: ['sso', 'explain'],
    usage: 'sso explain --tenant ID --user NAME [--json] [--backend URL | --connection NAME]',
    summary:
      "Tell one user's sign-in story from the SSO events and explain each refusal, with the fix in Okta's and Entra's terms: exit 0 signs in, 1 does not.",
    load: async () => (await import('./sso-explain.ts')).ssoExplainCommand,
  },
  {
    path: ['check'],
    usage:
      'check --url URL [--token-env NAME | --token-stdin] [--profile okta|entra|rfc] [--read-only] [--report FILE.json] [--junit FILE] [--html FILE] [--har FILE] [--concurrency N] [--timeout SECONDS] [--only ID,ID] [--import-size N] [--fail-on fail|warn]',
    summary:
      'Run the SCIM conformance harness against a base URL (exit 0 pass, 1 failures, 2 could not run).',
    load: async () => (await import('./check.ts')).checkCommand,
  },
  {
    path: ['replay-user'],
    usage:
      'replay-user --url URL --user-name NAME [--given-name G] [--family-name F] [--email E] [--department D] [--manager M] [--group NAME ...] [--profile okta|entra] [--token-env NAME | --token-stdin] [--timeout SECONDS]',
    summary:
      "Send the IdP's exact request sequence for one user and stop at the first divergence (writes real data).",
    load: async () => (await import('./replay-user.ts')).replayUserCommand,
  },
  {
    path: ['connection', 'add'],
    usage:
      'connection add --name NAME --backend URL [--admin-key-stdin] [--replace] [--skip-verify] [--allow-insecure-http]',
    summary:
      'Save a backend connection; its admin key (SCIM_CONSOLE_ADMIN_KEY or stdin) goes to the keychain',
    load: async () =>
      pick((await import('./connection.ts')).connectionCommands, ['connection', 'add']),
  },
  {
    path: ['connection', 'list'],
    usage: 'connection list [--json]',
    summary: 'List saved backend connections and whether their admin keys are in the keychain',
    load: async () =>
      pick((await import('./connection.ts')).connectionCommands, ['connection', 'list']),
  },
  {
    path: ['connection', 'remove'],
    usage: 'connection remove --name NAME',
    summary: 'Remove a saved connection and its admin key from the keychain',
    load: async () =>
      pick((await import('./connection.ts')).connectionCommands, ['connection', 'remove']),
  },
  {
    path: ['token', 'create'],
    usage:
      'token create --tenant ID (--connection NAME | --backend URL) [--label TEXT] [--okta-app header|oauth|aiw-http-header] [--json]',
    summary: 'Generate a SCIM token, keep it in the keychain, register its hash; prints it once',
    load: async () => pick((await import('./token.ts')).tokenCommands, ['token', 'create']),
  },
  {
    path: ['token', 'list'],
    usage: 'token list --tenant ID (--connection NAME | --backend URL) [--json]',
    summary: 'List a tenant’s SCIM tokens (never the secrets) and whether this keychain holds each',
    load: async () => pick((await import('./token.ts')).tokenCommands, ['token', 'list']),
  },
  {
    path: ['token', 'rotate'],
    usage:
      'token rotate --tenant ID (--connection NAME | --backend URL) --token TOKEN_ID [--label TEXT] [--okta-app header|oauth|aiw-http-header] [--json]',
    summary: 'Create a new token alongside an old one (both live); prints the new secret once',
    load: async () => pick((await import('./token.ts')).tokenCommands, ['token', 'rotate']),
  },
  {
    path: ['token', 'revoke'],
    usage: 'token revoke --tenant ID (--connection NAME | --backend URL) --token TOKEN_ID',
    summary: 'Revoke a SCIM token on the backend and delete it from the keychain',
    load: async () => pick((await import('./token.ts')).tokenCommands, ['token', 'revoke']),
  },
  {
    path: ['log', 'tail'],
    usage:
      'log tail --tenant ID [--user NAME] [--source idp,harness,replay,other,unknown | --include-test-traffic] [--json] [--lines N] [--once] [--connection NAME | --backend URL]',
    summary:
      'Print the tenant’s latest provisioning events and follow the live stream (admin key: SCIM_CONSOLE_ADMIN_KEY)',
    load: async () => (await import('./log.ts')).logTail,
  },
  {
    path: ['log', 'explain'],
    usage:
      'log explain --tenant ID --user NAME [--json] [--history N] [--connection NAME | --backend URL]',
    summary:
      'Explain why a user is (not) showing up: timeline, current state and diagnosis; exit 1 unless healthy',
    load: async () => (await import('./log.ts')).logExplain,
  },
  {
    path: ['log', 'export'],
    usage:
      'log export --tenant ID --format jsonl|csv|har [--user NAME] [--source idp,harness,replay,other,unknown | --include-test-traffic] [--status-class 4xx[,5xx]] [--method M] [--text T] [--history N] [--connection NAME | --backend URL]',
    summary:
      'Write the tenant’s (filtered) provisioning events to stdout as JSON lines, CSV or HAR, redacted',
    load: async () => (await import('./log.ts')).logExport,
  },
  {
    path: ['backend', 'serve'],
    usage:
      'backend serve [--port 8787] [--host 127.0.0.1] [--data DIR] [--admin-key KEY] [--demo-token TOKEN] [--rate-limit N/s|off] [--unauth-rate-limit N/s|off] [--retention N] [--public-url URL]',
    summary: 'Run the reference hosted backend (SCIM 2.0 + admin API) on node:sqlite',
    load: async () => (await import('./backend-serve.ts')).backendServeCommand,
  },
  {
    path: ['web'],
    usage: 'web [--port N] [--renderer-dir DIR] [--data DIR]',
    summary:
      'Serve the built UI and the services on 127.0.0.1 for a browser (token in the printed URL)',
    load: async () => (await import('./web.ts')).webCommand,
  },
]
