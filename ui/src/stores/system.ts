import { defineStore } from 'pinia'
import { ref } from 'vue'
import { api, ApiError } from '@/api'
import type { AppInfo, Folder, SystemConfig } from '@/api/types'

/** The server's configuration and global state: paused, folders, history count. */
export const useSystemStore = defineStore('system', () => {
  const app = ref<Partial<AppInfo>>({})
  const folders = ref<Folder[]>([])
  const paused = ref(false)
  const historyCount = ref(0)
  const loaded = ref(false)
  const error = ref('')

  function apply(config: SystemConfig): void {
    app.value = config.app ?? {}
    folders.value = Array.isArray(config.folders) ? config.folders : []
    paused.value = Boolean(config.paused)
    if (typeof config.history_count === 'number') historyCount.value = config.history_count
    loaded.value = true
    error.value = ''
  }

  async function fetchConfig(): Promise<SystemConfig | null> {
    try {
      const config = await api.configuration()
      apply(config)
      return config
    } catch (err) {
      error.value = err instanceof Error ? err.message : String(err)
      return null
    }
  }

  async function togglePause(): Promise<void> {
    const wanted = !paused.value
    try {
      await (wanted ? api.pauseAll() : api.resumeAll())
    } catch (err) {
      // 406: the server was already in the wanted state; our view of it was stale.
      if (!(err instanceof ApiError && err.status === 406)) throw err
    }
    paused.value = wanted
  }

  return { app, folders, paused, historyCount, loaded, error, apply, fetchConfig, togglePause }
})
