import { onActivated, onMounted } from 'vue'

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
