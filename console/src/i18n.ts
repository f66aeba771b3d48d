import { createI18n } from 'vue-i18n'
import { messages } from './messages'

const languageKey = 'jisudai.console.language'

/** Chinese unless this browser chose English before. */
export const i18n = createI18n({ legacy: false, locale: localStorage.getItem(languageKey) === 'en' ? 'en' : 'zh-CN', fallbackLocale: 'en', messages })

export function switchLanguage() {
  const next = i18n.global.locale.value === 'zh-CN' ? 'en' : 'zh-CN'
  localStorage.setItem(languageKey, next)
  i18n.global.locale.value = next
  document.documentElement.lang = next
}

/** A text the API gives in both languages ({en, zh-CN}), in the console's. */
export function inLanguage(text: Record<string, string> | null | undefined): string {
  if (!text) return ''
  return text[i18n.global.locale.value] ?? text.en ?? Object.values(text)[0] ?? ''
}
