import { readFile, stat } from 'node:fs/promises'
import { basename } from 'node:path'
import { AppError } from '../../src-shared/errors.ts'
import { DEFAULT_MAX_BYTES } from '../../src-domain/saml-metadata/document-guard.ts'

/**
 * The one reader of metadata files, for the metadata screen's path input, the CLI and the desktop
 * file dialog: a size check before any byte is read (the same 50 MB cap as every metadata
 * source), and one wording for a file that is missing, not a file, or unreadable.
 */
export type MetadataFile =
  | { name: string; bytes: Buffer }
  /** Over the cap: refused without being read. */
  | { name: string; size: number; tooLarge: true }

export async function readMetadataFile(
  path: string,
  maxBytes = DEFAULT_MAX_BYTES,
): Promise<MetadataFile> {
  const name = basename(path)
  const size = await fileSize(path)
  if (size > maxBytes) return { name, size, tooLarge: true }
  try {
    return { name, bytes: await readFile(path) }
  } catch (err) {
    throw readFailed(path, err)
  }
}

/**
 * The file dialog's variant: the chosen file's text for the renderer, and an oversized file as an
 * error (the renderer shows it on the screen it was picked from).
 */
export async function readMetadataFileText(
  path: string,
  maxBytes = DEFAULT_MAX_BYTES,
): Promise<{ name: string; text: string }> {
  const file = await readMetadataFile(path, maxBytes)
  if ('tooLarge' in file) {
    throw new AppError(
      'metadata.too_large',
      `${file.name} is ${mb(file.size)}; the limit is ${mb(maxBytes)}.`,
      { hint: 'IdP metadata is normally a few kilobytes; check that you chose the right file.' },
    )
  }
  return { name: file.name, text: file.bytes.toString('utf8') }
}

async function fileSize(path: string): Promise<number> {
  try {
    const s = await stat(path)
    if (!s.isFile()) {
      throw new AppError('metadata.read_failed', `${path} is not a file.`, {
        hint: 'Give the path of the metadata XML file, or its https:// URL.',
      })
    }
    return s.size
  } catch (err) {
    if (err instanceof AppError) throw err
    throw readFailed(path, err)
  }
}

function readFailed(path: string, err: unknown): AppError {
  const code = (err as NodeJS.ErrnoException)?.code
  const why =
    code === 'ENOENT'
      ? 'does not exist'
      : code === 'EACCES' || code === 'EPERM'
        ? 'cannot be read (permission denied)'
        : `cannot be read (${code ?? 'error'})`
  return new AppError('metadata.read_failed', `The file ${path} ${why}.`, {
    hint: 'Check the path, or download the metadata again from the IdP (in Okta: Sign On > View IdP metadata).',
  })
}

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`
}
