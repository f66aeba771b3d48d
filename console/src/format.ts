// How the console writes money, rates and instants: the lender's (Asia/Shanghai) clock, yuan with two decimals.
export const yuan = (n: number | null | undefined) => (n == null ? '' : `¥${Number(n).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`)
export const percent = (n: number | null | undefined, digits = 1) => (n == null ? '—' : `${(n * 100).toFixed(digits)}%`)
export const instant = (s: string | null | undefined) =>
  s ? new Date(s).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false }) : ''
