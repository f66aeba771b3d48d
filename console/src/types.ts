// The shapes the console reads, as the API writes them (camelCase JSON).

export type Bilingual = Record<string, string>

export interface HistoryStep { id: string; status: string; at: string; detail: string }

export interface Offer { amount: number; annualRate: number; termMonths: number; [k: string]: unknown }

export interface ApplicationView {
  id: string; customerId: string; status: string; productCode: string; amount: number; termMonths: number; submittedAt: string
  history: HistoryStep[]; offer: Offer | null; reasons: string[]; decisionId: string | null; productVersion: number
  loanId?: string | null
}

export interface ScoreReason { code: string; pointsLost: number; text: Bilingual }
export interface FiredRule { table: string; ruleId: string; action: string | null; reason: string | null; limitFactor: number | null; rateDelta: number | null }

export interface DecisionTrace {
  id: string
  score: { probabilityOfDefault: number; score: number; band: string; reasons: ScoreReason[]; modelVersion: string }
  result: { outcome: string; tier: string; limit: number; annualRate: number; offerAmount: number; termMonths: number; fired: FiredRule[]; reasons: string[]; blacklist: boolean; alert: boolean }
  checks: {
    blacklist: unknown[]
    velocity: Record<string, { lastHour: number; last24Hours: number; last30Days: number }>
    deviceCustomers: number
    [k: string]: unknown
  }
  modelVersion: string
  ruleSetVersion: string
}

export interface ReviewHold { id: string; heldBy: string; heldUntil: string }

export interface ReviewItem { application: ApplicationView; escalated: boolean; maskedPhone: string; decision: DecisionTrace | null; hold: ReviewHold | null }

export interface StaffRequest {
  id: string; customerId: string; power: string; target: string; payload: string; digest: string
  proposedBy: string; proposedAt: string; expiresAt: string; status: string
}

export interface Stability { value: number; band: string; count: number }

export interface DailyRiskMetrics {
  day: string; modelVersion: string; ruleSetVersion: string; decisions: number; approved: number; referred: number; declined: number
  approvalRate: number; referralRate: number; declineRate: number; meanScore: number; scorePsi: Stability | null; arm: string
  csi: { input: string; csi: Stability | null }[]
  ruleHits: { rule: string; hits: number; rate: number }[]
  scoreBins: number[] | null
}

export interface PortfolioMetrics {
  asOf: string; loans: number
  vintages: { month: string; loans: number; ever30: number[]; observed: number[] }[]
  rollRates: { buckets: string[]; counts: number[][]; rates: (number | null)[][] }
  labels: { window: string; matured: number; bad: number; immature: number; badRate: number | null }[]
}

/** A training metric across the cross-validation folds. */
export interface Metric { mean: number; std: number }

/** One training candidate's cross-validated figures and the parameters chosen. */
export interface Candidate { name: string; auc: Metric; ks: Metric; gini: Metric; brier: Metric; parameters: string | null }
