import type { z } from 'zod'
import type { ssoChannels } from '../../src-shared/channels/sso.ts'
import { AppError } from '../../src-shared/errors.ts'
import type { IdpMetadata } from '../../src-shared/metadata.ts'
import { entityDocument, scanAggregate } from '../../src-domain/saml-metadata/aggregate-scanner.ts'
import { DEFAULT_MAX_BYTES } from '../../src-domain/saml-metadata/document-guard.ts'
import { diffSsoConfig } from '../backend/sso-diff.ts'
import type { BackendAccess } from '../connections/backend-access.ts'
import { fetchMetadataDocument } from '../metadata/fetch-metadata.ts'
import { DEFAULT_TIMEOUT_MS, inspectMetadata } from '../metadata/inspect-metadata.ts'
import { parseUntrustedMetadata } from '../metadata/parse-untrusted.ts'

export type SsoPushInput = z.output<(typeof ssoChannels)['sso.push']['input']>
export type SsoDiffInput = z.output<(typeof ssoChannels)['sso.diff']['input']>
type SsoDiffOutput = z.output<(typeof ssoChannels)['sso.diff']['output']>
type SsoPushOutput = z.output<(typeof ssoChannels)['sso.push']['output']>

/**
 * Pushing IdP metadata to a tenant: what would change (the diff, with warnings such as an expired
 * certificate replacing a working one), then the push itself, refused without confirmation when
 * the diff asks for it.
 */
export interface SsoPush {
  diff(input: SsoDiffInput): Promise<SsoDiffOutput>
  push(input: SsoPushInput): Promise<SsoPushOutput>
}

export function createSsoPush(deps: { access: () => Promise<BackendAccess> }): SsoPush {
  async function prepare(input: SsoDiffInput) {
    const access = await deps.access()
    const { xml, metadata } = await readMetadata(input)
    const client = await access.client(input.connection)
    const current = await client.getSso(input.tenantId)
    return { client, xml, metadata, diff: diffSsoConfig(current.idp, metadata) }
  }
  return {
    async diff(input) {
      const { metadata, diff } = await prepare(input)
      return { metadataOk: metadata.ok, diff }
    },
    async push(input) {
      const { client, xml, metadata, diff } = await prepare(input)
      if (!metadata.ok) throw notUsable()
      if (diff.requiresConfirmation && !input.confirmed) {
        throw new AppError(
          'sso.confirmation_required',
          'This push changes what the tenant trusts in a way that needs your confirmation.',
          {
            hint: 'Review the warnings in the diff, then push again with confirmation.',
            details: { warnings: diff.warnings },
          },
        )
      }
      let saved
      try {
        saved = await client.putSso(input.tenantId, pushableXml(xml, metadata))
      } catch (err) {
        const details = err instanceof AppError ? (err.details as Record<string, unknown>) : null
        if (err instanceof AppError && details?.status === 422) {
          const backend = details.backend as { findings?: unknown } | undefined
          throw new AppError('sso.rejected', err.message, {
            hint: err.hint ?? 'Fix the findings listed, then push again.',
            details: { findings: backend?.findings ?? [] },
          })
        }
        throw err
      }
      const idp = saved.idp
      return {
        entityId: idp?.entityId ?? null,
        ssoUrl: idp?.ssoUrl ?? null,
        importedAt: idp?.importedAt ?? new Date().toISOString(),
        certificates: idp?.signingCertificates.length ?? 0,
      }
    },
  }
}

/**
 * Reads the document once: the diff is computed from, and the push sends, the same bytes (a URL
 * fetched twice could change in between).
 */
async function readMetadata(input: SsoDiffInput): Promise<{ xml: string; metadata: IdpMetadata }> {
  const entity = input.entityId === undefined ? {} : { entityId: input.entityId }
  if (input.source.kind === 'text') {
    return { xml: input.source.text, metadata: await inspectMetadata(input.source, entity) }
  }
  const doc = await fetchMetadataDocument(input.source.url, {
    timeoutMs: DEFAULT_TIMEOUT_MS,
    maxBytes: DEFAULT_MAX_BYTES,
  })
  if (doc.tooLarge) throw notUsable()
  // Fetched bytes are untrusted like a file, and parsed as the metadata screen parses them: in the
  // worker, within its budget, unless small and unsigned (no worker start for a typical Okta file).
  const metadata = await parseUntrustedMetadata(doc.bytes, {
    ...entity,
    source: input.source.url,
    maxBytes: DEFAULT_MAX_BYTES,
    contentType: doc.contentType,
  })
  return { xml: new TextDecoder().decode(doc.bytes), metadata }
}

/** The backend reads a single EntityDescriptor: narrow an aggregate to the chosen IdP. */
function pushableXml(xml: string, metadata: IdpMetadata): string {
  if (metadata.idps.length === 0 || !metadata.entityId) return xml
  const entity = scanAggregate(xml).entities.find((e) => e.entityId === metadata.entityId)
  return entity ? entityDocument(xml, entity) : xml
}

function notUsable(): AppError {
  return new AppError(
    'sso.rejected',
    'This metadata is not usable for SSO, so it was not pushed.',
    {
      hint: 'Fix the errors the metadata screen lists (download it again from the IdP), then push again.',
    },
  )
}
