import '../screens/metadata.css'

export function IdpChooser({
  idps,
  selected,
  onSelect,
  disabled,
}: {
  idps: readonly string[]
  selected: string | null
  onSelect: (entityId: string) => void
  disabled: boolean
}) {
  return (
    <div className="card idp-chooser">
      <label className="field-label" htmlFor="idp-chooser">
        This file is an aggregate of {idps.length} identity providers. Choose yours:
      </label>
      <select
        id="idp-chooser"
        data-testid="idp-chooser"
        value={selected ?? ''}
        disabled={disabled}
        onChange={(e) => onSelect(e.target.value)}
      >
        {selected === null || !idps.includes(selected) ? (
          <option value="">Choose an IdP…</option>
        ) : null}
        {idps.map((id) => (
          <option key={id} value={id}>
            {id}
          </option>
        ))}
      </select>
    </div>
  )
}
