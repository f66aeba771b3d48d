import { ref } from 'vue'

/**
 * One page's commands: each clears the last outcome, runs, and leaves either the message it earned or the API's
 * problem to show. `run` answers what the command returned, or undefined when it was refused.
 */
export function useAction() {
  const problem = ref<unknown>(null)
  const message = ref('')
  async function run<T>(command: () => Promise<T>, said?: (value: T) => string): Promise<T | undefined> {
    problem.value = null
    message.value = ''
    try {
      const value = await command()
      if (said) message.value = said(value)
      return value
    } catch (e) {
      problem.value = e
      return undefined
    }
  }
  return { problem, message, run }
}
