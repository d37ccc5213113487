import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { LinkState } from '@/api/socket'

/** How the app gets live data: the socket, or polling while it is down. */
export const useConnectionStore = defineStore('connection', () => {
  const state = ref<LinkState>('reconnecting')
  let refresher: (() => Promise<void>) | null = null

  function setRefresher(fn: (() => Promise<void>) | null): void {
    refresher = fn
  }

  /** After an action: without the socket no event will follow, so fetch the live state now. */
  async function refreshIfOffline(): Promise<void> {
    if (state.value !== 'connected' && refresher) await refresher()
  }

  return { state, setRefresher, refreshIfOffline }
})
