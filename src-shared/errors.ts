import { z } from 'zod'
import { redact } from './redact.ts'

/**
 * Stable error codes. The UI and the CLI branch on these, never on message text, because
 * Electron carries only `message` across `invoke` and messages are for people.
 */
export const errorCodes = [
  'internal',
  'ipc.bad_input',
  'ipc.unknown_channel',
  'ipc.forbidden',
  'ipc.unsupported',
  'web.unauthorized',
  'network.timeout',
  'network.unreachable',
  'network.tls',
  'network.too_large',
  'network.http_status',
  'network.too_many_redirects',
  'network.forbidden_url',
  'metadata.too_large',
  'metadata.dtd_forbidden',
  'metadata.malformed',
  'metadata.not_xml',
  'metadata.html',
  'metadata.json',
  'metadata.not_saml',
  'metadata.wrong_namespace',
  'metadata.not_idp',
  'metadata.entity_not_found',
  'metadata.read_failed',
  'secrets.keychain_unavailable',
  'secrets.not_found',
  'settings.invalid',
  'connection.not_found',
  'connection.exists',
  'connection.bad_input',
  'backend.unauthorized',
  'backend.http_error',
  'backend.unavailable',
  'sso.confirmation_required',
  'sso.rejected',
  'sso.not_configured',
  'saml.read_failed',
  'scim.http_error',
  'scim.not_scim',
  'harness.bad_input',
  'cli.usage',
  'log.bad_input',
  'log.event_not_found',
  'onboarding.blocked',
  'onboarding.state_invalid',
] as const

export type ErrorCode = (typeof errorCodes)[number]

export const appErrorSchema = z.object({
  code: z.enum(errorCodes),
  message: z.string(),
  hint: z.string().optional(),
  details: z.unknown().optional(),
})

export type AppErrorData = z.infer<typeof appErrorSchema>

/** Services throw this; the registrar, web host and CLI turn it into `{ ok: false, error }`. */
export class AppError extends Error {
  readonly code: ErrorCode
  readonly hint: string | undefined
  readonly details: unknown

  constructor(
    code: ErrorCode,
    message: string,
    opts: { hint?: string; details?: unknown; cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause })
    this.name = 'AppError'
    this.code = code
    this.hint = opts.hint
    this.details = opts.details
  }

  toData(): AppErrorData {
    const data: AppErrorData = { code: this.code, message: this.message }
    if (this.hint !== undefined) data.hint = this.hint
    if (this.details !== undefined) data.details = this.details
    return data
  }
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppErrorData }

/**
 * Anything thrown becomes an envelope; unknown errors never leak a stack trace. Envelopes go to the
 * renderer, stderr and logs, and a message may quote a URL or a server's answer: redacted here.
 */
export function toErrorData(err: unknown): AppErrorData {
  if (err instanceof AppError) return redact(err.toData())
  return {
    code: 'internal',
    message: 'An unexpected error occurred inside scim-console.',
    hint: 'Check the log file for details and report it if it keeps happening.',
  }
}
