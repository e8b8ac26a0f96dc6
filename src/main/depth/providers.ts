/**
 * Which onnxruntime execution providers to try, in order, for a device preference on a platform.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { DevicePreference } from '../../shared/depth';

/** A provider onnxruntime-node knows, as its `listSupportedBackends()` reports it. */
export interface BackendInfo {
  name: string;
  bundled: boolean;
}

/** What decides the candidate list; injectable so every platform's order can be tested here. */
export interface ProviderEnvironment {
  platform: NodeJS.Platform;
  backends: BackendInfo[];
  /** Whether a provider that is not bundled (CUDA) has its libraries installed beside the binding. */
  isInstalled: (name: string) => boolean;
}

/** The GPU providers worth trying on a platform, best first. */
export function gpuProviderOrder(env: ProviderEnvironment): string[] {
  const has = (name: string): boolean => env.backends.some((b) => b.name === name && (b.bundled || env.isInstalled(name)));
  const order: string[] = [];
  if ((env.platform === 'linux' || env.platform === 'win32') && has('cuda')) order.push('cuda');
  if (env.platform === 'win32' && has('dml')) order.push('dml');
  if (env.platform === 'darwin' && has('coreml')) order.push('coreml');
  if (has('webgpu')) order.push('webgpu');
  return order;
}

/** Providers to try for a device preference; CPU always ends the list (it is the fallback). */
export function providerCandidates(device: DevicePreference, env: ProviderEnvironment): string[] {
  if (device === 'cpu') return ['cpu'];
  return [...gpuProviderOrder(env), 'cpu'];
}

/** The provider environment of this process, from onnxruntime-node itself. */
export function currentProviderEnvironment(backends: BackendInfo[], ortEntry: string): ProviderEnvironment {
  const bindingDir = join(dirname(ortEntry), '..', 'bin', 'napi-v6', process.platform, process.arch);
  const libraryNames: Record<string, string[]> = {
    cuda: ['libonnxruntime_providers_cuda.so', 'onnxruntime_providers_cuda.dll']
  };
  return {
    platform: process.platform,
    backends,
    isInstalled: (name) => (libraryNames[name] ?? []).some((file) => existsSync(join(bindingDir, file)))
  };
}
