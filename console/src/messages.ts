// The console's words: Chinese by default, English on the switch. Reason codes come with both texts from the API.
export const messages = {
  'zh-CN': {
    app: { title: '极速贷 管理端', signOut: '退出', language: 'English', signedInAs: '当前用户' },
    nav: { operations: '运营', reviews: '审核队列', applications: '申请', loans: '贷款', dashboard: '风险看板', rules: '规则', models: '模型', requests: '四眼审批', blacklist: '黑名单', writeOffs: '核销', audit: '审计日志' },
    signIn: {
      title: '员工登录', entra: '使用 Microsoft Entra 登录', dev: '本机开发登录', devHint: '仅在本机独立主机上可用；Azure 中请使用 Entra 登录。',
      subject: '员工编号', role: '角色', reviewer: '审核员', admin: '管理员', submit: '登录', token: '或粘贴令牌', useToken: '使用令牌',
      refused: '此令牌无权访问管理端', devUnavailable: '此处不提供开发登录，请使用 Microsoft Entra 登录。',
    },
    common: { refresh: '刷新', loading: '加载中…', empty: '暂无数据', close: '关闭', open: '打开', submit: '提交', cancel: '取消', traceId: '追踪编号', yes: '是', no: '否', details: '详情', search: '查询', at: '时间', by: '操作人' },
    reviews: {
      title: '待审核申请', application: '申请', customer: '客户', phone: '手机', amount: '申请金额', term: '期限(月)', submitted: '提交时间', escalated: '已升级',
      open: '审核', claim: '领取审核', heldBy: '处理人', trace: '决策轨迹', score: '评分', band: '等级', pd: '违约概率', reasons: '原因', pointsLost: '扣分', outcome: '结论', tier: '层级', limit: '额度', rate: '年利率',
      offerAmount: '建议金额', fired: '命中规则', noRules: '未命中规则', checks: '反欺诈检查', blacklist: '黑名单', velocity: '申请频次', hour: '1小时', day: '24小时', month: '30天',
      deviceCustomers: '同设备客户数', model: '模型版本', ruleSet: '规则版本', approve: '批准', decline: '拒绝', reason: '拒绝原因', decided: '已提交审核结论',
      secondApproval: '超出审核员权限，已提交管理员复核', emptyQueue: '审核队列为空',
    },
    applications: { title: '申请查询', id: '申请编号', status: '状态', history: '历史', offer: '报价', decision: '决策', loan: '查看贷款' },
    loans: {
      title: '贷款查询', id: '贷款编号', status: '状态', principal: '本金', rate: '年利率', schedule: '还款计划', ledger: '分录', payments: '支付', dpd: '逾期天数', payoff: '提前结清报价',
      due: '到期日', installment: '期数', interest: '利息', total: '合计', paid: '已还', kind: '类型', amount: '金额', outstanding: '未还本金',
    },
    dashboard: {
      title: '风险看板', rates: '通过率 / 转人工率 / 拒绝率', approval: '通过率', referral: '转人工率', declineRate: '拒绝率', psi: '评分 PSI', meanScore: '平均分',
      decisions: '决策数', vintages: '账龄曲线 (30+ 逾期)', alerts: '告警', csi: '入模变量 CSI', ruleHits: '规则命中率', noData: '监控尚未产生数据（每日运行，统计至昨日）', run: '立即运行监控', buckets: '逾期分布', labels: '成熟标签坏账率',
    },
    rules: {
      title: '规则集', inForce: '生效版本', version: '版本', published: '发布时间', description: '说明', propose: '提议发布', document: '规则文档 (JSON)', validate: '校验', valid: '校验通过',
      proposed: '已提议，等待另一位管理员批准', rollback: '提议回滚', diff: '与生效版本对比', loadInForce: '载入生效版本',
    },
    requests: {
      title: '四眼审批', power: '权限', target: '对象', proposedBy: '提议人', proposedAt: '提议时间', expiresAt: '失效时间', payload: '内容', approve: '批准', reject: '驳回',
      reason: '驳回原因', approved: '已批准并执行', rejected: '已驳回', own: '本人提议，须由他人审批', empty: '没有待审批的请求',
    },
    operations: {
      title: '运营', halt: '放款暂停', lending: '正常放款', lendingHalted: '已暂停放款', haltReason: '暂停原因', haltNow: '立即暂停放款', halted: '已暂停放款',
      proposeLift: '提议恢复放款', liftProposed: '恢复已提议，等待另一位管理员批准', caps: '每日上限', noCaps: '未设置每日上限', maxApprovals: '最多批准笔数', maxPaidOut: '最多放款金额',
      reconciliation: '对账', date: '日期', reconcileNow: '立即对账', reconciled: '已对账', matched: '已匹配', statementLines: '对账单行数', booked: '我方账务', findings: '差异', noFindings: '无差异', ours: '我方', theirs: '支付机构', resolve: '提议处理',
      resolutionProposed: '处理已提议，等待另一位人员批准',
    },
    audit: { title: '员工审计日志', action: '操作', actor: '操作人', target: '对象', detail: '详情' },
    models: { title: '模型', champion: '冠军模型', challenger: '挑战者', versions: '版本', metrics: '训练指标', promote: '提议晋升', proposed: '已提议，等待另一位管理员批准', comparison: '冠军 / 挑战者对比', noComparison: '尚无挑战者对比（需挑战者运行且监控已比较）', guardrails: '护栏' },
    blacklist: { title: '黑名单', kind: '类型', value: '值', reason: '原因', add: '加入黑名单', remove: '提议移除', added: '已加入', removalProposed: '移除已提议，等待另一位管理员批准' },
    writeOffs: { title: '核销提议', month: '月份', owed: '应收合计', propose: '提议核销', proposed: '已提议，等待另一位管理员批准' },
  },
  en: {
    app: { title: 'JisuDai console', signOut: 'Sign out', language: '中文', signedInAs: 'Signed in as' },
    nav: { operations: 'Operations', reviews: 'Review queue', applications: 'Applications', loans: 'Loans', dashboard: 'Risk dashboard', rules: 'Rules', models: 'Models', requests: 'Four-eyes inbox', blacklist: 'Blacklist', writeOffs: 'Write-offs', audit: 'Audit log' },
    signIn: {
      title: 'Staff sign-in', entra: 'Sign in with Microsoft Entra', dev: 'Development sign-in (this machine)', devHint: 'Only on a standalone host on this machine; in Azure, sign in with Entra.',
      subject: 'Staff id', role: 'Role', reviewer: 'Reviewer', admin: 'Admin', submit: 'Sign in', token: 'Or paste a token', useToken: 'Use token',
      refused: 'This token has no access to the console', devUnavailable: 'Development sign-in is not offered here; sign in with Microsoft Entra.',
    },
    common: { refresh: 'Refresh', loading: 'Loading…', empty: 'Nothing here', close: 'Close', open: 'Open', submit: 'Submit', cancel: 'Cancel', traceId: 'Trace id', yes: 'Yes', no: 'No', details: 'Details', search: 'Search', at: 'At', by: 'By' },
    reviews: {
      title: 'Applications waiting for review', application: 'Application', customer: 'Customer', phone: 'Phone', amount: 'Amount asked', term: 'Term (months)', submitted: 'Submitted', escalated: 'Escalated',
      open: 'Review', claim: 'Claim and review', heldBy: 'Held by', trace: 'Decision trace', score: 'Score', band: 'Band', pd: 'Probability of default', reasons: 'Reasons', pointsLost: 'Points lost', outcome: 'Outcome', tier: 'Tier', limit: 'Limit', rate: 'Annual rate',
      offerAmount: 'Offer amount', fired: 'Fired rules', noRules: 'No rule fired', checks: 'Fraud checks', blacklist: 'Blacklist', velocity: 'Velocity', hour: '1 hour', day: '24 hours', month: '30 days',
      deviceCustomers: 'Customers on the device', model: 'Model version', ruleSet: 'Rule-set version', approve: 'Approve', decline: 'Decline', reason: 'Decline reason', decided: 'Decision sent',
      secondApproval: 'Beyond a reviewer\'s bounds: sent to an admin for approval', emptyQueue: 'The review queue is empty',
    },
    applications: { title: 'Find an application', id: 'Application id', status: 'Status', history: 'History', offer: 'Offer', decision: 'Decision', loan: 'Open the loan' },
    loans: {
      title: 'Find a loan', id: 'Loan id', status: 'Status', principal: 'Principal', rate: 'Annual rate', schedule: 'Schedule', ledger: 'Ledger', payments: 'Payments', dpd: 'Days past due', payoff: 'Payoff quote',
      due: 'Due', installment: 'No.', interest: 'Interest', total: 'Total', paid: 'Paid', kind: 'Kind', amount: 'Amount', outstanding: 'Outstanding principal',
    },
    dashboard: {
      title: 'Risk dashboard', rates: 'Approval / referral / decline rates', approval: 'Approval', referral: 'Referral', declineRate: 'Decline', psi: 'Score PSI', meanScore: 'Mean score',
      decisions: 'Decisions', vintages: 'Vintage curves (30+ DPD)', alerts: 'Alerts', csi: 'CSI of each model input', ruleHits: 'Rule hit rates', noData: 'Monitoring has no data yet (it runs nightly, through yesterday)', run: 'Run monitoring now', buckets: 'Delinquency buckets', labels: 'Bad rate on matured labels',
    },
    rules: {
      title: 'Rule sets', inForce: 'In force', version: 'Version', published: 'Published', description: 'Description', propose: 'Propose publication', document: 'Rule-set document (JSON)', validate: 'Validate', valid: 'Valid',
      proposed: 'Proposed: waiting for a second admin', rollback: 'Propose rollback', diff: 'Against the one in force', loadInForce: 'Load the one in force',
    },
    requests: {
      title: 'Four-eyes inbox', power: 'Power', target: 'Target', proposedBy: 'Proposed by', proposedAt: 'Proposed', expiresAt: 'Expires', payload: 'Payload', approve: 'Approve', reject: 'Reject',
      reason: 'Reason', approved: 'Approved and carried out', rejected: 'Rejected', own: 'Your own proposal: someone else approves it', empty: 'No request is waiting',
    },
    operations: {
      title: 'Operations', halt: 'Lending halt', lending: 'Lending', lendingHalted: 'Lending halted', haltReason: 'Why halt', haltNow: 'Halt lending now', halted: 'Lending halted',
      proposeLift: 'Propose lifting the halt', liftProposed: 'Lift proposed: waiting for a second admin', caps: 'Daily caps', noCaps: 'No daily caps set', maxApprovals: 'Max approvals', maxPaidOut: 'Max paid out',
      reconciliation: 'Reconciliation', date: 'Date', reconcileNow: 'Reconcile now', reconciled: 'Reconciled', matched: 'matched', statementLines: 'statement lines', booked: 'booked movements', findings: 'findings', noFindings: 'No findings', ours: 'Ours', theirs: "Provider's", resolve: 'Propose resolution',
      resolutionProposed: 'Resolution proposed: waiting for a second person',
    },
    audit: { title: 'Staff audit log', action: 'Action', actor: 'Actor', target: 'Target', detail: 'Detail' },
    models: { title: 'Models', champion: 'Champion', challenger: 'Challenger', versions: 'Versions', metrics: 'Training metrics', promote: 'Propose promotion', proposed: 'Proposed: waiting for a second admin', comparison: 'Champion / challenger', noComparison: 'No comparison yet (a challenger must run and monitoring compare the arms)', guardrails: 'Guardrails' },
    blacklist: { title: 'Blacklist', kind: 'Kind', value: 'Value', reason: 'Reason', add: 'Add to the blacklist', remove: 'Propose removal', added: 'Added', removalProposed: 'Removal proposed: waiting for a second admin' },
    writeOffs: { title: 'Write-off proposals', month: 'Month', owed: 'Owed', propose: 'Propose the write-off', proposed: 'Proposed: waiting for a second admin' },
  },
}
