import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { useToastsStore } from '@/stores/toasts'

beforeEach(() => {
  setActivePinia(createPinia())
  vi.useFakeTimers()
})
afterEach(() => vi.useRealTimers())

describe('toasts', () => {
  it('shows a message once when the HTTP answer and the event both report it', () => {
    const toasts = useToastsStore()
    toasts.push('error', 'Unsupported URL', 'https://x')
    toasts.push('error', 'Unsupported URL', 'Item Status')
    expect(toasts.list).toHaveLength(1)
    vi.advanceTimersByTime(3500)
    toasts.push('error', 'Unsupported URL')
    expect(toasts.list).toHaveLength(2)
  })

  it('dismisses by itself and on request', () => {
    const toasts = useToastsStore()
    const id = toasts.push('info', 'one')!
    toasts.push('success', 'two')
    toasts.dismiss(id)
    expect(toasts.list.map((t) => t.message)).toEqual(['two'])
    vi.advanceTimersByTime(4000)
    expect(toasts.list).toEqual([])
  })
})
