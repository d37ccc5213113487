import { defineStore } from 'pinia'
import { ref } from 'vue'

export type ToastLevel = 'info' | 'success' | 'warning' | 'error'

export interface Toast {
  id: number
  level: ToastLevel
  title: string
  message: string
}

const LIFETIME: Record<ToastLevel, number> = { info: 5000, success: 4000, warning: 8000, error: 10000 }
const MAX_TOASTS = 6
// The same text arriving twice in this window (an HTTP answer and its socket event) shows once.
const DEDUPE_MS = 3000

export const useToastsStore = defineStore('toasts', () => {
  const list = ref<Toast[]>([])
  const recent = new Map<string, number>()
  let next = 1

  function dismiss(id: number): void {
    list.value = list.value.filter((toast) => toast.id !== id)
  }

  function push(level: ToastLevel, message: string, title = ''): number | null {
    const key = `${level}|${message}`
    const now = Date.now()
    const seen = recent.get(key)
    if (seen !== undefined && now - seen < DEDUPE_MS) return null
    recent.set(key, now)
    const id = next++
    list.value = [...list.value, { id, level, title, message }].slice(-MAX_TOASTS)
    setTimeout(() => dismiss(id), LIFETIME[level])
    return id
  }

  /** Toasts an error's message; for use in `catch`. */
  function error(err: unknown, title = ''): void {
    push('error', err instanceof Error ? err.message : String(err), title)
  }

  return { list, push, error, dismiss }
})
