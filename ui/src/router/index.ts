// A tiny hash router: `#/presets` etc. Hash URLs work under any base path without server help.
import { onActivated, onBeforeUnmount, onMounted, ref, type Ref } from 'vue'

export const VIEWS = [
  { name: 'downloads', label: 'Downloads' },
  { name: 'presets', label: 'Presets' },
  { name: 'conditions', label: 'Conditions' },
  { name: 'fields', label: 'Download fields' },
  { name: 'help', label: 'Help' },
] as const

export type ViewName = (typeof VIEWS)[number]['name']

export function viewFromHash(hash: string): ViewName {
  const name = hash.replace(/^#\/?/, '').split(/[/?]/)[0]
  return VIEWS.find((view) => view.name === name)?.name ?? 'downloads'
}

export function useHashRoute(): Ref<ViewName> {
  const current = ref<ViewName>(viewFromHash(window.location.hash))
  const onChange = () => {
    current.value = viewFromHash(window.location.hash)
  }
  window.addEventListener('hashchange', onChange)
  onBeforeUnmount(() => window.removeEventListener('hashchange', onChange))
  return current
}

/** Runs `fn` when a view is shown: at mount, and each time `<KeepAlive>` brings it back. */
export function onShown(fn: () => void): void {
  let first = true
  onMounted(fn)
  onActivated(() => {
    // Activation also follows the first mount, which already ran `fn`.
    if (first) first = false
    else fn()
  })
}
