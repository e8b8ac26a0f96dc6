/** What the host says about itself: versions and the execution providers on offer. */
import { defineStore } from 'pinia';
import { computed, shallowRef } from 'vue';
import type { AppInfo, DepthStatus } from '../../../shared/api';
import { useZoe } from '../bridge/zoe';

export const useAppStore = defineStore('app', () => {
  const info = shallowRef<AppInfo | null>(null);
  const depthStatus = shallowRef<DepthStatus | null>(null);
  let unsubscribe: (() => void) | null = null;

  async function load(): Promise<void> {
    const zoe = useZoe();
    unsubscribe ??= zoe.on('depth.status', (status) => {
      depthStatus.value = status;
    });
    const [appInfo, status] = await Promise.all([zoe.app.getInfo(), zoe.depth.status()]);
    if (appInfo.ok) info.value = appInfo.value;
    if (status.ok) depthStatus.value = status.value;
  }

  /** Execution providers this build offers (offered is not usable: a GPU one may lack an adapter). */
  const providersOffered = computed(() => info.value?.executionProviders.map((provider) => provider.name) ?? []);

  /** The execution provider badge: the provider the model runs on, GPU or CPU, always visible. */
  const providerLabel = computed(() => {
    const status = depthStatus.value;
    if (status === null) return '…';
    if (!status.modelInstalled) return 'No model';
    if (status.loading) return 'Loading…';
    if (status.provider === null) return status.device === 'cpu' ? 'CPU' : 'Not loaded';
    return status.provider === 'cpu' ? 'CPU' : `GPU · ${status.provider}`;
  });

  /** Why the badge says what it says, for its tooltip. */
  const providerDetail = computed(() => {
    const status = depthStatus.value;
    const offered = `Offered by this build: ${providersOffered.value.join(', ') || 'unknown'}.`;
    if (status === null) return offered;
    const model = status.modelId === null ? 'No depth model installed.' : `Model: ${status.modelId}.`;
    const fallback = status.providerFallbackReason === undefined ? '' : ` Fell back to the CPU: ${status.providerFallbackReason}`;
    return `${model} Device setting: ${status.device}.${fallback} ${offered}`;
  });

  function dispose(): void {
    unsubscribe?.();
    unsubscribe = null;
  }

  return { info, depthStatus, providersOffered, providerLabel, providerDetail, load, dispose };
});
