import { dialog, type BrowserWindow } from 'electron'
import { readMetadataFileText } from '../metadata/read-metadata-file.ts'

export async function pickMetadataFile(
  parent: BrowserWindow | undefined,
): Promise<{ name: string; text: string } | null> {
  const options: Electron.OpenDialogOptions = {
    title: 'Open IdP metadata',
    properties: ['openFile'],
    filters: [
      { name: 'SAML metadata', extensions: ['xml'] },
      { name: 'All files', extensions: ['*'] },
    ],
  }
  const chosen = parent
    ? await dialog.showOpenDialog(parent, options)
    : await dialog.showOpenDialog(options)
  const path = chosen.filePaths[0]
  if (chosen.canceled || !path) return null
  return readMetadataFileText(path)
}
