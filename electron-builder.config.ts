import { join } from 'node:path'
import { flipFuses, FuseV1Options, FuseVersion, type FuseV1Config } from '@electron/fuses'
import { Arch, type AfterPackContext, type Configuration } from 'electron-builder'

/**
 * Packaging for `npm run dist` (electron-vite build, then electron-builder). Typed TypeScript rather
 * than YAML so the fuse settings and the afterPack hook live beside the config they belong to and
 * scripts/check-packaging.test.ts can import and check them without building a package.
 */

/** Set to 1 for builds that end-to-end tests drive: they may attach an inspector. */
export const TEST_BUILD_ENV = 'SCIM_CONSOLE_TEST_BUILD'

/**
 * Electron fuses (STYLE.md): flipped in the Electron binary itself, so no environment variable or
 * command-line flag can turn the app back into a plain Node runtime or load code from outside the
 * integrity-checked asar. Every fuse is set explicitly (`strictlyRequireAllFuses`) so an Electron
 * upgrade that adds one fails the build until someone decides its value.
 */
export function fuseConfig(opts: { testBuild: boolean }): FuseV1Config {
  return {
    version: FuseVersion.V1,
    strictlyRequireAllFuses: true,
    [FuseV1Options.RunAsNode]: false,
    [FuseV1Options.EnableCookieEncryption]: true,
    [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
    [FuseV1Options.EnableNodeCliInspectArguments]: opts.testBuild,
    [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
    [FuseV1Options.OnlyLoadAppFromAsar]: true,
    [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
    // The renderer is served from app://, so file:// needs none of its legacy powers.
    [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
    [FuseV1Options.WasmTrapHandlers]: true,
  }
}

/** The packaged Electron executable (or .app bundle) whose fuse wire afterPack flips. */
export function electronExecutable(context: {
  appOutDir: string
  electronPlatformName: string
  productFilename: string
  executableName: string
}): string {
  switch (context.electronPlatformName) {
    case 'darwin':
    case 'mas':
      return join(context.appOutDir, `${context.productFilename}.app`)
    case 'win32':
      return join(context.appOutDir, `${context.productFilename}.exe`)
    default:
      return join(context.appOutDir, context.executableName)
  }
}

/** Runs after the app is copied next to Electron and before signing, as fuse flipping requires. */
export async function afterPack(context: AfterPackContext): Promise<void> {
  const testBuild = process.env[TEST_BUILD_ENV] === '1'
  const executable = electronExecutable({
    appOutDir: context.appOutDir,
    electronPlatformName: context.electronPlatformName,
    productFilename: context.packager.appInfo.productFilename,
    // Only the Linux packager has executableName (typed on LinuxPackager, not its base class).
    executableName:
      (context.packager as { executableName?: string }).executableName ??
      context.packager.appInfo.productFilename,
  })
  await flipFuses(executable, {
    ...fuseConfig({ testBuild }),
    // Flipping fuses breaks an ad-hoc signature, which Apple Silicon refuses to run.
    resetAdHocDarwinSignature:
      context.electronPlatformName === 'darwin' &&
      (context.arch === Arch.arm64 || context.arch === Arch.universal),
  })
}

/**
 * Dependencies that electron-vite bundles into out/renderer; main never imports them, so the
 * package need not carry them in node_modules. The packaging test checks this list against the
 * imports in src-main.
 */
export const RENDERER_ONLY_DEPENDENCIES = [
  'react',
  'react-dom',
  'scheduler',
  '@tanstack/react-query',
  '@tanstack/query-core',
  '@tanstack/react-virtual',
  '@tanstack/virtual-core',
  'zustand',
  'use-sync-external-store',
] as const

const config: Configuration = {
  appId: 'dev.scim-console.app',
  productName: 'scim-console',
  executableName: 'scim-console',
  copyright: 'Copyright © scim-console contributors',
  directories: { output: 'dist', buildResources: 'build' },
  files: [
    'package.json',
    'out/main/**',
    'out/preload/**',
    'out/renderer/**',
    '!**/*.map',
    '!**/*.{test,spec}.{ts,tsx,js,mjs,cjs}',
    '!**/__snapshots__/**',
    ...RENDERER_ONLY_DEPENDENCIES.map((dep) => `!node_modules/${dep}/**`),
  ],
  extraResources: [{ from: 'build/icon.png', to: 'icon.png' }],
  asar: true,
  // Native modules cannot be loaded from inside an asar archive.
  asarUnpack: ['**/node_modules/keytar/**', '**/*.node'],
  npmRebuild: true,
  afterPack,
  linux: {
    target: ['AppImage', 'deb'],
    category: 'Development',
    icon: 'build/icon.png',
    // The deb needs a maintainer; package.json has no author to derive one from. electron-builder's
    // default deb dependencies already include libsecret-1-0, which keytar needs.
    maintainer: 'scim-console maintainers',
    synopsis: 'Connect a SaaS tenant to Okta or Entra ID over SAML and SCIM',
  },
  mac: {
    target: ['dmg'],
    category: 'public.app-category.developer-tools',
    icon: 'build/icon.png',
    hardenedRuntime: true,
    entitlements: 'build/entitlements.mac.plist',
    entitlementsInherit: 'build/entitlements.mac.plist',
  },
  win: {
    target: ['nsis'],
    icon: 'build/icon.png',
  },
  nsis: {
    oneClick: false,
    perMachine: false,
    allowToChangeInstallationDirectory: true,
  },
}

export default config
