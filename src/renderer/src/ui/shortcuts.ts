/**
 * Keyboard shortcuts: one place that says which key does what, so tooltips name the very keys the
 * handlers listen to.
 */
import { onBeforeUnmount, onMounted } from 'vue';

/** A shortcut: the `KeyboardEvent.key` values that trigger it and how a tooltip writes it. */
export interface Shortcut {
  keys: readonly string[];
  label: string;
  /** Needs Ctrl (or ⌘ on a Mac). */
  command?: boolean;
}

export const SHORTCUTS = {
  openFolder: { keys: ['o', 'O'], label: 'Ctrl+O', command: true },
  recursive: { keys: ['r', 'R'], label: 'R' },
  settings: { keys: [','], label: 'Ctrl+,', command: true },
  openPhoto: { keys: ['Enter'], label: 'Enter' },
  closeViewer: { keys: ['Escape'], label: 'Esc' },
  previous: { keys: ['ArrowLeft'], label: '←' },
  next: { keys: ['ArrowRight'], label: '→' },
  zoomIn: { keys: ['+', '='], label: '+' },
  zoomOut: { keys: ['-', '_'], label: '−' },
  fit: { keys: ['0'], label: '0' },
  toggleDepth: { keys: [' '], label: 'Space' },
  estimateDepth: { keys: ['d'], label: 'D' },
  estimateFolder: { keys: ['D'], label: 'Shift+D' },
  jobsPanel: { keys: ['j', 'J'], label: 'J' },
  modelsPanel: { keys: ['m', 'M'], label: 'Ctrl+M', command: true },
  exportDepth: { keys: ['e', 'E'], label: 'Ctrl+E', command: true },
  infoPanel: { keys: ['i', 'I'], label: 'I' }
} as const satisfies Record<string, Shortcut>;

export type ShortcutName = keyof typeof SHORTCUTS;

/** A tooltip: what a control does and its shortcut, e.g. “Next photo (→)”. */
export function tooltip(action: string, name: ShortcutName): string {
  return `${action} (${SHORTCUTS[name].label})`;
}

/** Whether a key event is this shortcut (and not typing in a field). */
export function matches(event: KeyboardEvent, name: ShortcutName): boolean {
  const shortcut: Shortcut = SHORTCUTS[name];
  const command = event.ctrlKey || event.metaKey;
  if ((shortcut.command === true) !== command) return false;
  if (event.altKey) return false;
  return shortcut.keys.includes(event.key);
}

/** Whether a key went to a text field or a list, where arrows and letters mean typing. */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  const tag = target.tagName;
  return target.isContentEditable || tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT';
}

/**
 * Listens on the window while the component is mounted; `handlers` maps shortcut names to actions.
 * Keys typed into a text field are left alone, and a handled key does not scroll the page.
 */
export function useShortcuts(handlers: Partial<Record<ShortcutName, () => void>>, enabled: () => boolean = () => true): void {
  const onKey = (event: KeyboardEvent): void => {
    if (!enabled() || event.defaultPrevented || isTyping(event.target)) return;
    for (const [name, action] of Object.entries(handlers) as [ShortcutName, () => void][]) {
      if (matches(event, name)) {
        event.preventDefault();
        action();
        return;
      }
    }
  };
  onMounted(() => window.addEventListener('keydown', onKey));
  onBeforeUnmount(() => window.removeEventListener('keydown', onKey));
}
