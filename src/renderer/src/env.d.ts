/// <reference types="vite/client" />
import type { ZoeApi } from '../../shared/api';

declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent<object, object, unknown>;
  export default component;
}

declare global {
  interface Window {
    /** Set by the Electron preload; absent in a browser driven through the test host. */
    readonly zoe?: ZoeApi;
  }
}
