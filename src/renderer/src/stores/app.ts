/** What the host says about itself: versions and the execution providers on offer. */
import { defineStore } from 'pinia';
import { computed, shallowRef } from 'vue';
import type { AppInfo } from '../../../shared/api';
import { useZoe } from '../bridge/zoe';

export const useAppStore = defineStore('app', () => {
  const info = shallowRef<AppInfo | null>(null);

  async function load(): Promise<void> {
    const result = await useZoe().app.getInfo();
    if (result.ok) info.value = result.value;
  }

  /** Execution providers this build offers (offered is not usable: a GPU one may lack an adapter). */
  const providersOffered = computed(() => info.value?.executionProviders.map((provider) => provider.name) ?? []);

  /**
   * The execution provider badge. Placeholder until the depth engine reports the provider it
   * actually ran on: CPU, the provider every build has.
   */
  const providerLabel = computed(() => (info.value === null ? '…' : 'CPU'));

  return { info, providersOffered, providerLabel, load };
});
