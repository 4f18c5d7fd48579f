import { useState } from 'react'
import type { AppErrorData } from '../../../src-shared/errors.ts'
import type { IdpMetadata } from '../../../src-shared/metadata.ts'
import { ApiError } from '../api-error.ts'
import { CertificateCard } from '../components/CertificateCard.tsx'
import { ErrorPanel } from '../components/ErrorPanel.tsx'
import { FindingsList } from '../components/FindingsList.tsx'
import { IdpChooser } from '../components/IdpChooser.tsx'
import { MetadataSummary, VERDICT_TONE } from '../components/MetadataSummary.tsx'
import { SourcePicker } from '../components/SourcePicker.tsx'
import { SsoPushPanel } from '../components/SsoPushPanel.tsx'
import { countBySeverity, describeSource, formatBytes } from '../lib/format.ts'
import { useInspectMetadata } from '../use-inspect-metadata.ts'
import './metadata.css'

export function MetadataScreen() {
  const inspection = useInspectMetadata()
  const [localError, setLocalError] = useState<AppErrorData | null>(null)
  const error = localError ?? (inspection.error instanceof ApiError ? inspection.error.data : null)
  const metadata = localError ? undefined : inspection.data

  return (
    <div className="screen" data-testid="metadata-screen">
      <header className="screen-header">
        <h1>SAML IdP metadata</h1>
        <p className="lede">
          Import your identity provider’s metadata to see at once whether single sign-on can work,
          and what to fix if not.
        </p>
      </header>

      <SourcePicker
        busy={inspection.isPending}
        onError={setLocalError}
        onSource={(source) => {
          setLocalError(null)
          inspection.inspect(source)
        }}
      />

      {inspection.isPending ? (
        <p className="pending" data-testid="inspect-pending" role="status">
          Inspecting…
        </p>
      ) : null}
      {error ? <ErrorPanel error={error} testId="inspect-error" /> : null}
      {metadata && !inspection.isPending ? (
        <MetadataResult
          metadata={metadata}
          onSelectEntity={inspection.selectEntity}
          busy={inspection.isPending}
        />
      ) : null}
      {metadata && inspection.source && !inspection.isPending ? (
        <SsoPushPanel
          key={`${metadata.source}|${metadata.sizeBytes}|${metadata.entityId ?? ''}`}
          source={inspection.source}
          entityId={metadata.idps.length > 1 ? (metadata.entityId ?? undefined) : undefined}
          usable={metadata.ok}
        />
      ) : null}
    </div>
  )
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`
}

function MetadataResult({
  metadata,
  onSelectEntity,
  busy,
}: {
  metadata: IdpMetadata
  onSelectEntity: (entityId: string) => void
  busy: boolean
}) {
  const counts = countBySeverity(metadata.findings)
  const origin = `from ${describeSource(metadata.source)} (${formatBytes(metadata.sizeBytes)})`
  const showSummary = metadata.entityId !== null || metadata.ssoServices.length > 0
  const certificates = (
    <section className="result-main">
      <h2 className="section-title">
        Signing certificates <span className="count">{metadata.signingCertificates.length}</span>
      </h2>
      {metadata.signingCertificates.length === 0 ? (
        <p className="empty-note">No usable signing certificate.</p>
      ) : (
        <div className="cert-grid">
          {metadata.signingCertificates.map((c, i) => (
            <CertificateCard key={c.sha256Fingerprint} cert={c} index={i} />
          ))}
        </div>
      )}
    </section>
  )
  const findings = (
    <section className="result-side">
      <h2 className="section-title">
        Findings <span className="count">{metadata.findings.length}</span>
      </h2>
      <FindingsList findings={metadata.findings} />
    </section>
  )

  return (
    <div className="result" data-testid="metadata-result">
      <div
        className={`status-banner ${VERDICT_TONE[metadata.verdict.level]}`}
        data-testid="metadata-status"
        data-ok={metadata.ok}
        data-level={metadata.verdict.level}
      >
        <strong>{metadata.verdict.summary}</strong>
        <span className="status-sub">
          {[plural(counts.error, 'error'), plural(counts.warning, 'warning'), origin].join(' · ')}
        </span>
      </div>

      {metadata.idps.length > 1 ? (
        <IdpChooser
          idps={metadata.idps}
          selected={metadata.entityId}
          onSelect={onSelectEntity}
          disabled={busy}
        />
      ) : null}

      {/* When SSO cannot work, what to fix comes first and full width. */}
      {metadata.ok ? null : findings}
      {showSummary ? <MetadataSummary metadata={metadata} /> : null}
      {metadata.ok ? (
        <div className="result-grid">
          {certificates}
          {findings}
        </div>
      ) : (
        certificates
      )}
    </div>
  )
}
