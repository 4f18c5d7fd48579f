/**
 * The reference backend stores everything in node:sqlite, built into Node 22.5+ and into the Node
 * of current Electron releases. An Electron (or Node) without it would otherwise fail deep inside
 * an import with ERR_UNKNOWN_BUILTIN_MODULE; this names the cause and the fix instead.
 */
export function missingSqliteReason(
  getBuiltin: (id: string) => unknown = (id) => process.getBuiltinModule?.(id),
  versions: NodeJS.ProcessVersions = process.versions,
): string | null {
  let sqlite: unknown
  try {
    sqlite = getBuiltin('node:sqlite')
  } catch {
    sqlite = undefined
  }
  if (sqlite && typeof (sqlite as { DatabaseSync?: unknown }).DatabaseSync === 'function') {
    return null
  }
  const runtime = versions.electron
    ? `Electron ${versions.electron} (Node ${versions.node})`
    : `Node ${versions.node}`
  return `${runtime} has no node:sqlite, which the embedded reference backend needs. Use Node 22.12 or newer (Electron 35 or newer), or add a backend connection instead of the embedded one.`
}
