import { ref, watch, type Ref } from 'vue'

/** A ref kept in localStorage, for form choices worth remembering between visits. */
export function persisted<T>(key: string, initial: T): Ref<T> {
  const storageKey = `tubestash.${key}`
  let start = initial
  try {
    const raw = window.localStorage.getItem(storageKey)
    if (raw !== null) start = JSON.parse(raw) as T
  } catch {
    // Storage may be disabled (private mode) or hold an older format: use the default.
  }
  const value = ref(start) as Ref<T>
  watch(value, (next) => {
    try {
      window.localStorage.setItem(storageKey, JSON.stringify(next))
    } catch {
      // Quota or disabled storage: the choice simply is not remembered.
    }
  }, { deep: true })
  return value
}
