// Queues the link a "Share → Tubestash" brought (lib/share.ts), once, with the server's
// default preset, and says so in a toast.
import { api } from '@/api'
import { sharedLink, withoutShare } from '@/lib/share'
import { useConnectionStore } from '@/stores/connection'
import { useToastsStore } from '@/stores/toasts'

export async function addSharedLink(location: Location = window.location): Promise<void> {
  const { shared, url } = sharedLink(new URLSearchParams(location.search))
  if (!shared) return
  window.history.replaceState(window.history.state, '', withoutShare(location))
  const toasts = useToastsStore()
  if (!url) {
    toasts.push('warning', 'The shared text holds no http(s) link to download.', 'Nothing added')
    return
  }
  try {
    const [result] = await api.add([{ url, auto_start: true }])
    if (result && result.status === false) {
      toasts.push('error', result.msg || 'The link was not added.', url)
    } else {
      toasts.push('success', url, 'Added to the queue')
    }
    await useConnectionStore().refreshIfOffline()
  } catch (err) {
    toasts.error(err, url)
  }
}
