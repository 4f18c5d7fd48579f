import { useState, type DragEvent } from 'react'
import type { AppErrorData } from '../../../src-shared/errors.ts'
import { useApi } from '../api-context.tsx'
import { readFileAsText } from '../lib/read-file.ts'
import { rovingKeyDown } from '../lib/roving.ts'
import type { InspectSource } from '../use-inspect-metadata.ts'
import { useUiStore, type SourceTab } from '../use-ui-store.ts'
import '../screens/metadata.css'

const tabs: { id: SourceTab; label: string }[] = [
  { id: 'file', label: 'File' },
  { id: 'paste', label: 'Paste XML' },
  { id: 'url', label: 'Metadata URL' },
]

export function SourcePicker({
  onSource,
  onError,
  busy,
}: {
  onSource: (source: InspectSource) => void
  onError: (error: AppErrorData) => void
  busy: boolean
}) {
  const api = useApi()
  // One selector each: typing a draft re-renders this picker, nothing above it.
  const sourceTab = useUiStore((s) => s.sourceTab)
  const setSourceTab = useUiStore((s) => s.setSourceTab)
  const pasteDraft = useUiStore((s) => s.pasteDraft)
  const setPasteDraft = useUiStore((s) => s.setPasteDraft)
  const urlDraft = useUiStore((s) => s.urlDraft)
  const setUrlDraft = useUiStore((s) => s.setUrlDraft)
  const [dragging, setDragging] = useState(false)

  const fromFile = (result: Awaited<ReturnType<typeof readFileAsText>>): void => {
    if (!result.ok) onError(result.error)
    else onSource({ kind: 'text', text: result.value.text, name: result.value.name })
  }

  const onDrop = async (e: DragEvent<HTMLDivElement>): Promise<void> => {
    e.preventDefault()
    setDragging(false)
    const file = e.dataTransfer.files[0]
    if (file) fromFile(await readFileAsText(file))
  }

  const chooseFile = async (): Promise<void> => {
    const result = await api['metadata.pickFile']({})
    if (!result.ok) onError(result.error)
    else if (result.value)
      onSource({ kind: 'text', text: result.value.text, name: result.value.name })
  }

  return (
    <section className="card source-picker" data-testid="source-picker">
      <div
        className="tabs"
        role="tablist"
        aria-label="Where the metadata comes from"
        onKeyDown={(e) =>
          rovingKeyDown(e, 'tab', (tab) => setSourceTab(tab.dataset.tab as SourceTab))
        }
      >
        {tabs.map((t) => (
          <button
            key={t.id}
            id={`source-tab-${t.id}`}
            type="button"
            role="tab"
            aria-selected={sourceTab === t.id}
            aria-controls={`source-panel-${t.id}`}
            tabIndex={sourceTab === t.id ? 0 : -1}
            className={`tab ${sourceTab === t.id ? 'tab-active' : ''}`}
            data-testid={`source-tab-${t.id}`}
            data-tab={t.id}
            onClick={() => setSourceTab(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>

      <div
        role="tabpanel"
        id={`source-panel-${sourceTab}`}
        aria-labelledby={`source-tab-${sourceTab}`}
      >
        {sourceTab === 'file' ? (
          <div
            className={`drop-zone ${dragging ? 'drop-zone-active' : ''}`}
            data-testid="drop-zone"
            onDragOver={(e) => {
              e.preventDefault()
              setDragging(true)
            }}
            onDragLeave={() => setDragging(false)}
            onDrop={(e) => void onDrop(e)}
          >
            <div className="drop-icon" aria-hidden="true">
              ⇪
            </div>
            <p className="drop-title">Drop the IdP metadata XML here</p>
            <p className="drop-sub">
              In Okta: SAML app › Sign On › View SAML setup instructions or IdP metadata
            </p>
            <button
              type="button"
              className="button button-primary"
              data-testid="choose-file"
              disabled={busy}
              onClick={() => void chooseFile()}
            >
              Choose file…
            </button>
          </div>
        ) : null}

        {sourceTab === 'paste' ? (
          <form
            className="stack"
            onSubmit={(e) => {
              e.preventDefault()
              if (pasteDraft.trim()) onSource({ kind: 'text', text: pasteDraft })
            }}
          >
            <label className="field-label" htmlFor="paste-input">
              Metadata XML
            </label>
            <textarea
              id="paste-input"
              className="paste-input"
              data-testid="paste-input"
              spellCheck={false}
              placeholder='<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" …'
              value={pasteDraft}
              onChange={(e) => setPasteDraft(e.target.value)}
            />
            <div className="actions">
              <button
                type="submit"
                className="button button-primary"
                data-testid="paste-submit"
                disabled={busy || pasteDraft.trim() === ''}
              >
                Inspect
              </button>
              {pasteDraft ? (
                <button type="button" className="button" onClick={() => setPasteDraft('')}>
                  Clear
                </button>
              ) : null}
            </div>
          </form>
        ) : null}

        {sourceTab === 'url' ? (
          <form
            className="stack"
            onSubmit={(e) => {
              e.preventDefault()
              if (urlDraft.trim()) onSource({ kind: 'url', url: urlDraft.trim() })
            }}
          >
            <label className="field-label" htmlFor="url-input">
              Metadata URL
            </label>
            <div className="inline">
              <input
                id="url-input"
                className="text-input"
                data-testid="url-input"
                type="url"
                spellCheck={false}
                placeholder="https://your-org.okta.com/app/…/sso/saml/metadata"
                value={urlDraft}
                onChange={(e) => setUrlDraft(e.target.value)}
              />
              <button
                type="submit"
                className="button button-primary"
                data-testid="url-submit"
                disabled={busy || urlDraft.trim() === ''}
              >
                Fetch
              </button>
            </div>
            <p className="field-help">
              Fetched by scim-console itself over HTTPS (HTTP only to this computer).
            </p>
          </form>
        ) : null}
      </div>
    </section>
  )
}
