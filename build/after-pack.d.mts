// Types for the afterPack hook (after-pack.mjs), for the test that imports it.
import type { FuseV1Config } from '@electron/fuses'

export interface AfterPackContext {
  appOutDir: string
  electronPlatformName: string
  packager: { appInfo: { productFilename: string }; executableName: string }
}

export function fuseConfig(platform: string): FuseV1Config
export function electronBinary(context: AfterPackContext): string
export function afterPack(context: AfterPackContext): Promise<void>
export default afterPack
