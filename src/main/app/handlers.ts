import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import type { AppInfo } from '../../shared/api';
import type { HandlersOf, HostServices } from '../ipc/handlers';

/** Versions and the execution providers this build of onnxruntime-node offers. */
export function appInfo(services: HostServices): AppInfo {
  return {
    appName: services.appName,
    appVersion: services.appVersion,
    host: services.host,
    versions: {
      node: process.versions.node,
      electron: services.versions.electron,
      chrome: services.versions.chrome,
      onnxruntime: ort.env.versions.node ?? ort.env.versions.common,
      sharp: sharp.versions.sharp ?? 'unknown'
    },
    platform: process.platform,
    arch: process.arch,
    executionProviders: ort.listSupportedBackends().map(({ name, bundled }) => ({ name, bundled }))
  };
}

export function appHandlers(services: HostServices): HandlersOf<'app'> {
  return {
    'app.getInfo': async () => appInfo(services)
  };
}
