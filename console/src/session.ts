import { defineStore } from 'pinia'
import { ApiProblem, get, post, token } from './api'

interface SignedIn {
  subject: string
  roles: string[]
}

/** Who is signed in, as the API says (GET /api/staff/me), whatever signed them in. */
export const useSession = defineStore('session', {
  state: () => ({ subject: null as string | null, roles: [] as string[], checked: false, refusal: null as string | null }),
  getters: {
    signedIn: (s) => s.subject !== null,
    isAdmin: (s) => s.roles.includes('admin'),
    // An admin holds every reviewer power, as the API decides.
    isReviewer: (s) => s.roles.includes('reviewer') || s.roles.includes('admin'),
  },
  actions: {
    async load() {
      try {
        const me = await get<SignedIn>('staff/me')
        this.subject = me.subject
        this.roles = me.roles
        this.refusal = null
      } catch (e) {
        this.subject = null
        this.roles = []
        // A borrower's token reaches no console data: the API answers 403 and the console says so.
        this.refusal = e instanceof ApiProblem && e.status === 403 ? e.detail : null
        if (e instanceof ApiProblem && (e.status === 401 || e.status === 403)) token.set(null)
      } finally {
        this.checked = true
      }
    },
    async devSignIn(subject: string, role: string) {
      const signed = await post<{ accessToken: string }>('dev/sign-in', { subject, role })
      token.set(signed.accessToken)
      await this.load()
    },
    async useToken(value: string) {
      token.set(value.trim())
      await this.load()
    },
    signOut() {
      token.set(null)
      this.subject = null
      this.roles = []
    },
  },
})
