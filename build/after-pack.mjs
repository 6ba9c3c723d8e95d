// electron-builder's afterPack hook: flips the packaged Electron binary's
// fuses before it is signed, so that the app cannot be turned into a plain
// Node runtime (ELECTRON_RUN_AS_NODE), be given code through NODE_OPTIONS, or
// be attached to with --inspect. Where electron-builder embeds the archive's
// hash (macOS, Windows), the app also checks it and loads only from app.asar.
// See https://www.electronjs.org/docs/latest/tutorial/fuses

import { FuseV1Options, FuseVersion, flipFuses } from '@electron/fuses'
import { join } from 'node:path'

/** The fuses for a platform (electron-builder's names: darwin, mas, win32, linux). */
export function fuseConfig(platform) {
  // electron-builder writes ElectronAsarIntegrity only on macOS and Windows;
  // Electron checks it only there.
  const integrity = platform === 'darwin' || platform === 'mas' || platform === 'win32'
  return {
    version: FuseVersion.V1,
    // An arm64 Mac refuses a binary whose ad-hoc signature no longer matches.
    resetAdHocDarwinSignature: platform === 'darwin',
    [FuseV1Options.RunAsNode]: false,
    [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
    [FuseV1Options.EnableNodeCliInspectArguments]: false,
    [FuseV1Options.EnableCookieEncryption]: true,
    [FuseV1Options.OnlyLoadAppFromAsar]: true,
    [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: integrity,
    // GrantFileProtocolExtraPrivileges stays on: the pages are file:// module scripts.
  }
}

/** The packaged Electron binary, as electron-builder names it. */
export function electronBinary({ appOutDir, electronPlatformName, packager }) {
  switch (electronPlatformName) {
    case 'darwin':
    case 'mas':
      return join(appOutDir, `${packager.appInfo.productFilename}.app`)
    case 'win32':
      return join(appOutDir, `${packager.appInfo.productFilename}.exe`)
    default:
      return join(appOutDir, packager.executableName)
  }
}

export async function afterPack(context) {
  await flipFuses(electronBinary(context), fuseConfig(context.electronPlatformName))
}

export default afterPack
