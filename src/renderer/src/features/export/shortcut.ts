/**
 * The export dialog's shortcut, Ctrl+E (⌘E on a Mac). Kept here rather than in `ui/shortcuts.ts`
 * so the export feature stays in its own folder; it follows the same rules (never while typing).
 */
import { onBeforeUnmount, onMounted } from 'vue';
import { isTyping } from '../../ui/shortcuts';

/** How tooltips write the export shortcut. */
export const EXPORT_SHORTCUT_LABEL = 'Ctrl+E';

/** “Export depth (Ctrl+E)”. */
export function exportTooltip(action = 'Export depth'): string {
  return `${action} (${EXPORT_SHORTCUT_LABEL})`;
}

/** Whether a key event is Ctrl+E / ⌘E. */
export function isExportShortcut(event: KeyboardEvent): boolean {
  return (event.ctrlKey || event.metaKey) && !event.altKey && (event.key === 'e' || event.key === 'E');
}

/** Calls `action` on Ctrl+E while the component is mounted and `enabled()` says so. */
export function useExportShortcut(action: () => void, enabled: () => boolean): void {
  const onKey = (event: KeyboardEvent): void => {
    if (!enabled() || event.defaultPrevented || isTyping(event.target) || !isExportShortcut(event)) return;
    event.preventDefault();
    action();
  };
  onMounted(() => window.addEventListener('keydown', onKey));
  onBeforeUnmount(() => window.removeEventListener('keydown', onKey));
}
