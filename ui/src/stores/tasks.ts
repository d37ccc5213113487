// Scheduled tasks: the list (with each task's read-only `run` block) and what a task can be
// asked to do now. Run, mark and unmark change what the list shows; each rereads the task.
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { api } from '@/api'
import type { TaskEntry } from '@/api/types'
import { defineCrudStore } from '@/stores/crud'

export const useTasksStore = defineCrudStore('tasks', api.tasks, 'tasks', (a, b) => a.name.localeCompare(b.name))

export type TaskAction = 'run' | 'mark' | 'unmark' | 'metadata'

export interface ActionResult {
  ok: boolean
  text: string
}

function metadataText(answer: { title?: string | null; nfo_file?: string; thumbnails?: Record<string, string> }): string {
  const art = Object.keys(answer.thumbnails ?? {})
  return `Wrote ${answer.nfo_file || 'tvshow.nfo'} for ${answer.title ?? 'the source'}${art.length ? ` and ${art.join(', ')}` : ''}.`
}

/** What each task was last asked to do now, and whether it still is, by task id. */
export const useTaskActionsStore = defineStore('task_actions', () => {
  const busy = ref<Record<number, TaskAction | undefined>>({})
  const results = ref<Record<number, ActionResult | undefined>>({})

  async function perform(task: TaskEntry, action: TaskAction): Promise<ActionResult> {
    const tasks = useTasksStore()
    busy.value = { ...busy.value, [task.id]: action }
    let result: ActionResult
    try {
      if (action === 'run') {
        const answer = await api.runTask(task.id)
        result = { ok: answer.status === 'ok', text: answer.message || `${answer.queued} queued of ${answer.found} found` }
      } else if (action === 'mark') {
        result = { ok: true, text: (await api.markTask(task.id)).message }
      } else if (action === 'unmark') {
        result = { ok: true, text: (await api.unmarkTask(task.id)).message }
      } else {
        result = { ok: true, text: metadataText(await api.taskMetadata(task.id)) }
      }
    } catch (err) {
      result = { ok: false, text: err instanceof Error ? err.message : String(err) }
    } finally {
      busy.value = { ...busy.value, [task.id]: undefined }
    }
    results.value = { ...results.value, [task.id]: result }
    // The run block (last run, status, queued) changed: reread the task.
    try {
      tasks.upsert(api.tasks.entry(await tasks.read(task.id)))
    } catch {
      // deleted meanwhile, or the server is away: the next list load tells
    }
    return result
  }

  return { busy, results, perform }
})
