import { createPinia } from 'pinia';
import { createApp } from 'vue';
import type { ZoeApi } from '../../shared/api';
import App from './App.vue';
import { resolveZoeApi } from './bridge';
import { ZOE_API_KEY, setZoe } from './bridge/zoe';

/** Shows why the window cannot work, in plain words, instead of a blank page. */
function showStartupFailure(message: string): void {
  const root = document.querySelector('#app');
  if (root === null) return;
  const paragraph = document.createElement('p');
  paragraph.className = 'startup-failure';
  paragraph.textContent = message;
  root.replaceChildren(paragraph);
}

/** One call through the bridge at startup, so a host that cannot be reached is reported at once. */
async function checkConnection(zoe: ZoeApi): Promise<void> {
  const info = await zoe.app.getInfo();
  if (!info.ok) console.error(`[zoe] The main process does not answer: ${info.error.message}`);
}

function start(): void {
  let zoe: ZoeApi;
  try {
    zoe = resolveZoeApi(window);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    showStartupFailure(message);
    console.error(`[zoe] ${message}`);
    return;
  }
  setZoe(zoe);
  createApp(App).provide(ZOE_API_KEY, zoe).use(createPinia()).mount('#app');
  void checkConnection(zoe);
}

start();
