/**
 * The measuring keys, listened to on the window while the viewer shows the measuring panel. They
 * are heard before the viewer's own keys (capture phase), so Esc first drops what is being drawn
 * and only then, with nothing left to cancel, leaves the viewer.
 */
import { onBeforeUnmount, onMounted } from 'vue';
import { isTyping } from '../../ui/shortcuts';
import { useMeasureStore } from '../../stores/measure';
import { EDIT_KEYS, isKey, TOOLS } from './tools';

/** Installs the keys for as long as the calling component is mounted. */
export function useMeasureKeys(): void {
  const measure = useMeasureStore();
  const onKey = (event: KeyboardEvent): void => {
    if (event.defaultPrevented || isTyping(event.target)) return;
    const handled = (): void => {
      event.preventDefault();
      event.stopPropagation();
    };
    if (isKey(event, EDIT_KEYS.undo)) {
      handled();
      void measure.undo();
    } else if (isKey(event, EDIT_KEYS.redo) || (isKey(event, { key: 'y', label: 'Ctrl+Y', command: true }) && !event.shiftKey)) {
      handled();
      void measure.redo();
    } else if (isKey(event, EDIT_KEYS.cancel)) {
      if (measure.cancel()) handled();
    } else if (isKey(event, EDIT_KEYS.finish) && measure.tool !== null) {
      handled();
      void measure.finish();
    } else if ((isKey(event, EDIT_KEYS.deleteSelected) || isKey(event, { key: 'backspace', label: 'Backspace' })) && measure.selectedId !== null && measure.tool === null) {
      handled();
      void measure.remove(measure.selectedId);
    } else {
      const picked = TOOLS.find((entry) => isKey(event, entry.key));
      if (picked !== undefined && measure.camera !== null) {
        handled();
        measure.chooseTool(picked.tool);
      }
    }
  };
  onMounted(() => window.addEventListener('keydown', onKey, { capture: true }));
  onBeforeUnmount(() => window.removeEventListener('keydown', onKey, { capture: true }));
}
