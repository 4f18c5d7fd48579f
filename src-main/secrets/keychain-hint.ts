/** What to do when the OS keychain cannot be used, in the words of each platform. */
export function keychainHint(platform: NodeJS.Platform = process.platform): string {
  const memory =
    'To run without a keychain for a throwaway session, choose the in-memory store explicitly with SCIM_CONSOLE_SECRET_STORE=memory (secrets are lost when the app exits).'
  switch (platform) {
    case 'darwin':
      return `Open Keychain Access, make sure your login keychain exists and is unlocked, and allow scim-console when macOS asks for access. ${memory}`
    case 'win32':
      return `Open Credential Manager (Control Panel > Credential Manager > Windows Credentials) and check that it works for your user account; it is not available to some service accounts. ${memory}`
    default:
      return `Install and unlock a Secret Service provider such as gnome-keyring or KeePassXC (with its Secret Service integration enabled) in your desktop session. On a headless machine, run scim-console inside "dbus-run-session" after "gnome-keyring-daemon --unlock --components=secrets". ${memory}`
  }
}
