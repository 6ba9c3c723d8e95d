// The page's own words in each language the lessons are written in. The
// language follows the lessons' (`lang en|zh`, kept with the progress in the
// core) and is remembered in this browser too, so the first paint, before the
// core answers, is already in the learner's language. Components take their
// words from useWords(store); a word missing in one language is a compile
// error, since `zh` must have the shape of `en`.

import { useEffect } from 'react'
import { lessonLanguages, type LessonLanguage } from '../shared/lesson-view'
import { useAppState, type AppStore } from './store'

export type UiLanguage = LessonLanguage

const en = {
  connected: 'connected',
  connecting: 'connecting…',
  disconnected: 'disconnected',
  theme: 'Theme',
  themeChoices: { system: 'System', light: 'Light', dark: 'Dark' },
  viewsLabel: 'Views of the cluster',
  tabs: { cluster: 'Cluster', inspector: 'Inspector', code: 'Code', metrics: 'Metrics' },

  language: 'Language',
  lessonPane: 'Lesson',
  courseMap: 'Course map',
  backToStep: 'Back to the step',
  hidePane: 'Hide',
  showPane: 'Show',
  lessonHeading: (number: number, title: string) => `Lesson ${number}: ${title}`,
  stepOf: (step: number, steps: number) => `Step ${step} of ${steps}`,
  stepState: (step: number, state: 'done' | 'here' | 'todo') =>
    `Step ${step}: ${state === 'done' ? 'done' : state === 'here' ? 'you are here' : 'not done yet'}`,
  hint: 'Hint',
  next: 'Next',
  back: 'Back',
  buttonsType: 'The buttons type hint, back and next into the terminal for you.',
  hintNumber: (n: number) => `Hint ${n}`,
  stepConfirmed: (step: number) => `✓ Step ${step} done. On to step ${step + 1}.`,
  lessonFinished: (title: string) =>
    `★ You finished “${title}”. Go on to the next lesson, or pick one from the course map.`,
  stepAlreadyDone: 'You did this step before: type its command again, or press Next.',
  courseIntro:
    'Pick a lesson to start it. Each step says what to type in the terminal on the left, and this pane ticks it off when it is done.',
  columnLesson: 'Lesson',
  columnSteps: 'Steps done',
  columnTime: 'Time spent',
  columnWhere: 'Where you left off',
  notStarted: 'not started',
  finished: 'done',
  atStep: (step: number) => `at step ${step}`,
  youAreHere: 'you are here',
  openLesson: (number: number, title: string, state: 'start' | 'continue' | 'again') =>
    `${state === 'start' ? 'Start' : state === 'continue' ? 'Continue' : 'Do again'} lesson ${number}: ${title}`,
  minutes: (ms: number) => {
    if (ms <= 0) return '–'
    if (ms < 60_000) return '< 1 min'
    const total = Math.round(ms / 60_000)
    return total < 60 ? `${total} min` : `${Math.floor(total / 60)} h ${total % 60} min`
  },

  // The terminal's frame and greeting (what the core prints stays as it is).
  terminal: {
    greeting: 'type help for the commands, or start with: start raft 5',
    keys: 'Tab completes, up and down recall, Ctrl+C stops a command, Shift+Tab or F6 leave the terminal.',
    region: 'Terminal: type commands here',
    lastCommand: 'Last command',
    failed: 'failed: ',
  },

  cluster: {
    view: 'Cluster view',
    noCluster: 'No cluster is running. Type start raft 5 in the terminal.',
    noLeader: 'No leader right now.',
    leader: (node: string, term: string) => `Leader: ${node} (term ${term}).`,
    skipped: (count: number) => `${count} events were left out to keep up (counted, not drawn).`,
    unknown: 'unknown',
    nodeLabel: (node: string, word: string, term: string, commit: string) =>
      `${node}: ${word}, term ${term}, commit index ${commit}`,
    /** A role the core names; roles this dictionary does not know are shown as they are. */
    role: (role: string) => role,
    dead: 'dead',
    paused: (role: string | null) => `paused${role === null ? '' : ` ${role}`}`,
    starting: 'starting',
    termCommit: (term: string, commit: string) => `term ${term} · commit ${commit}`,
    actions: {
      kill: 'Kill',
      restart: 'Restart',
      pause: 'Pause',
      resume: 'Resume',
      isolate: 'Isolate',
    },
    actionsFor: (node: string) => `Actions for ${node}`,
    legend: 'Legend',
    message: 'message',
    cutLink: 'cut link',
    showingPast: (seconds: string) => `Showing the past: ${seconds} s into the run.`,
    backToLive: 'Back to live',
    flightNote: (count: number) =>
      `${count} messages in flight, more than the eye can follow: one dot per link, with its count. Hover a dot or a link for the types.`,
    dropped: ' (dropped)',
    inFlight: (count: number, types: string) => `${count} in flight (${types})`,
    nothingInFlight: 'nothing in flight',
    partition: {
      start: 'Drag across nodes, or around them, to put them on one side of a partition.',
      allOneSide: 'Every node is on one side: leave some out to draw a partition.',
      release: (links: number, command: string) =>
        `Release to cut ${links} link${links === 1 ? '' : 's'}: ${command} (Esc cancels).`,
    },
  },

  inspector: {
    label: 'Inspector',
    node: 'Node',
    nodeToInspect: 'Node to inspect',
    down: 'down',
    live: 'Live',
    atMoment: (time: string) => `At ${time} into the run`,
    sections: 'Inspector sections',
    state: 'State',
    log: 'Log',
    compareLogs: 'Compare logs',
    checks: 'Checks',
    stateOf: (node: string) => `${node}'s state`,
    noLog: (node: string) => `${node}'s algorithm keeps no log; its state is in the State tab.`,
    reading: (node: string) => `Reading ${node}…`,
    /** The name of a summary fact; facts this dictionary does not know keep the core's key. */
    fact: (key: string) =>
      (({ commitIndex: 'commit index', logLength: 'log length' }) as Record<string, string>)[key] ??
      key,
    /** A node's status word from the core (up, dead, paused). */
    status: (status: string) => status,
    statusLabel: 'status',
    shown: 'shown',
    sources: {
      live: 'live state',
      saved: 'saved state (the node is down)',
      trace: 'from the recorded run',
    },
    compareWith: (node: string) => `Compare ${node}'s log with`,
    compareWithLabel: (node: string) => `Node to compare ${node}'s log with`,
    noOther: 'There is no other node to compare with.',
    readingLogs: 'Reading the logs…',
    noLogToCompare: 'This algorithm keeps no log to compare.',
    howLogsCompare: 'How the logs compare',
    sideBySide: (a: string, b: string) => `${a}'s and ${b}'s logs side by side`,
    index: 'index',
    diffKinds: {
      same: 'same',
      conflict: 'conflict',
      'only-a': 'only left',
      'only-b': 'only right',
    },
    committedCount: (count: string) => `${count} committed`,
    noCommitIndex: 'this log has no commit index',
    emptyLog: 'The log is empty.',
    /** `hidden`: how many of the oldest entries are not shown, or null when all are. */
    logCaption: (
      node: string,
      field: string,
      length: string,
      one: boolean,
      committed: string,
      hidden: string | null,
    ) =>
      `${node}'s ${field === 'log' ? 'log' : `${field} slots`}: ${length} ${one ? 'entry' : 'entries'}, ${committed}${hidden === null ? '' : ` (the oldest ${hidden} not shown)`}.`,
    logOf: (node: string) => `${node}'s log`,
    /** The log's term column: term (Raft) or ballot (Paxos). */
    termName: (name: string) => name,
    command: 'command',
    committed: 'committed',
    notYet: 'not yet',
    committedNote: ' (committed)',
    emptyState: 'The state is empty.',
  },

  checks: {
    run: 'Run the checks',
    runAgain: 'Run the checks again',
    checking: 'Checking…',
    checked: (events: string, algorithm: string) =>
      `Checked ${events} events of this ${algorithm} run.`,
    about: 'Invariants of the algorithm, and linearizability of what the clients saw.',
    invariants: 'Invariants',
    noInvariantChecks: 'Invariants: this algorithm has no invariant checks.',
    noneBroken: (checkers: string) => `Invariants: none broken (${checkers}).`,
    broken: (count: number, shown: number) =>
      `Invariants: ${count} broken${count > shown ? ` (the first ${shown} shown)` : ''}.`,
    seenAt: (time: string) => `seen at ${time}`,
    nodes: 'Nodes:',
    inspect: (node: string) => `Inspect ${node}`,
    eventsThatBroke: (rule: string) => `Events that broke ${rule}`,
    linearizability: 'Linearizability',
    noOperations: 'Linearizability: no client operations yet to check.',
    verdict: (result: string, operations: number, model: string) =>
      `Linearizability: ${result} (${operations} operations, ${model} model).`,
    smallestSlice: 'The smallest slice that cannot be linearized, per client',
    sliceOperations: 'The operations of the slice',
    cannotBePlaced: ' (cannot be placed)',
    calledAt: (time: string) => `called at ${time}`,
    returnedAt: (time: string) => `returned at ${time}`,
    showRunAt: (time: string) => `Show the run at ${time}`,
  },

  code: {
    loadingCode: 'Loading the code the cluster runs…',
    loadingEditor: 'Loading the editor…',
    editorLabel:
      'Algorithm code. Ctrl+Enter applies it; press Ctrl+M to let Tab move focus out of the editor.',
    noCluster: (algorithm: string) =>
      `No cluster is running: this is ${algorithm}. Start one (e.g. start raft 5) to apply code.`,
    runs: (algorithm: string, variant: string | null, custom: boolean) =>
      `The cluster runs ${algorithm}${variant === null ? '' : ` (variant ${variant})`}${custom ? ', from your code' : ''}.`,
    applying: 'Applying…',
    editingCopy: (name: string) => `Editing a copy of ${name}; apply it to run it.`,
    backToReference: (algorithm: string) => `Back to the reference ${algorithm} (not applied yet).`,
    saved: (name: string, version: number) => `Saved as "${name}" (version ${version}).`,
    loaded: (name: string, version: number) =>
      `Loaded "${name}" (version ${version}); apply it to run it.`,
    toolbar: 'Code',
    algorithm: 'Algorithm',
    variantLabel: 'Reference or broken variant',
    reference: 'reference',
    broken: (variant: string) => `${variant} (broken)`,
    editCopy: 'Edit a copy',
    apply: 'Apply',
    applyTitle: "Restart the cluster's nodes on this code (Ctrl+Enter in the editor)",
    reset: 'Reset to reference',
    diff: 'Diff with reference',
    backToEditor: 'Back to the editor',
    nameLabel: 'Name to save this code under',
    namePlaceholder: 'name',
    save: 'Save',
    loadLabel: 'Load a saved version',
    nothingSaved: 'nothing saved',
    loadSaved: 'load saved…',
    readOnly: ' (read-only: study it, apply it, or edit a copy)',
    crashedHere: (node: string, message: string | null) =>
      `${node} crashed here: ${message ?? 'its code failed'}`,
  },

  metrics: {
    label: 'Metrics',
    loading: 'Loading the plots…',
    empty:
      'Nothing measured yet. Start a cluster (start raft 5) and give it work (workload 2000 --clients 8): the plots fill in once a second.',
    span: (seconds: number) => `the last ${seconds} s`,
    messagesPerSecond: 'messages/s',
    clientOpsPerSecond: 'client ops ok/s',
    commitsPerSecond: 'commits/s',
    latencyP50: 'latency p50',
    latencyP99: 'latency p99',
    elections: 'elections',
    messagesTitle: 'Messages sent per second, by type',
    messagesDescription: (span: string, total: number, byType: string) =>
      `Messages per second over ${span}: ${total} in all; ${byType}.`,
    commitsTitle: 'Commits per second',
    operationsTitle: 'Client operations per second',
    commitsDescription: (span: string, completed: number) =>
      `Over ${span}: ${completed} client operations completed.`,
    latencyTitle: 'Client latency, invoke to ok (ms)',
    latencyDescription: (span: string, p50: string, p99: string) =>
      `Latency over ${span}: median ${p50}, 99th percentile ${p99}.`,
    time: 'time',
    /** A plotted series' name: a message type (kept as the core names it), or one of these. */
    series: (label: string) => label,
    noLag: 'No node reports a number to compare, so no lag is shown.',
    furthest: 'the furthest node',
    theLeader: (node: string) => `the leader ${node}`,
    lagCaption: (field: string, against: string) =>
      `Lag: how far each node's ${field} is behind ${against}`,
    down: (last: string) => `down (last ${last})`,
    noValue: 'no value',
    upToDate: (value: string) => `up to date (${value})`,
    behind: (lag: string, value: string) => `${lag} behind (${value})`,
  },

  timeline: {
    label: 'Timeline',
    resize: 'Resize the timeline (arrow keys)',
    zoomIn: 'Zoom in',
    zoomInTitle: 'Zoom in (+)',
    zoomOut: 'Zoom out',
    zoomOutTitle: 'Zoom out (-)',
    wholeRun: 'Whole run',
    wholeRunTitle: 'Show the whole run',
    live: 'Live',
    liveTitle: 'Follow the live run (End); show the present (Escape)',
    momentShown: 'Moment shown',
    liveValue: 'live',
    intoRun: (time: string) => `${time} into the run`,
    showing: (time: string) => `showing ${time}`,
    events: (count: string) => `${count} events`,
    sampledOut: (count: string) => ` (${count} sampled out: bands count them, arrows do not)`,
    density: ' · messages as density',
    plot: 'Timeline plot: arrows pan, plus and minus zoom, Home the start, End follows live, Enter shows the middle moment, comma and period step it, Escape back to live',
    clients: 'clients',
  },
}

export type Words = typeof en

/** Roles the core names, in the words of the Chinese lessons; others are shown as the core says them. */
const zhRoles: Record<string, string> = {
  leader: '领导者',
  candidate: '候选者',
  follower: '跟随者',
  proposer: '提议者',
  acceptor: '接受者',
  learner: '学习者',
  coordinator: '协调者',
  preparing: '准备中',
  participant: '参与者',
  resource: '受保护资源',
}

const zhVerdicts: Record<string, string> = {
  linearizable: '满足线性一致',
  'not linearizable': '不满足线性一致',
}

const zh: Words = {
  connected: '已连接',
  connecting: '正在连接…',
  disconnected: '已断开',
  theme: '主题',
  themeChoices: { system: '跟随系统', light: '浅色', dark: '深色' },
  viewsLabel: '集群视图',
  tabs: { cluster: '集群', inspector: '检查器', code: '代码', metrics: '指标' },

  language: '语言',
  lessonPane: '课程',
  courseMap: '课程地图',
  backToStep: '回到当前步骤',
  hidePane: '收起',
  showPane: '展开',
  lessonHeading: (number, title) => `第 ${number} 课：${title}`,
  stepOf: (step, steps) => `第 ${step} 步，共 ${steps} 步`,
  stepState: (step, state) =>
    `第 ${step} 步：${state === 'done' ? '已完成' : state === 'here' ? '你在这里' : '还没完成'}`,
  hint: '提示',
  next: '下一步',
  back: '上一步',
  buttonsType: '这些按钮会替你在终端里输入 hint、back 和 next。',
  hintNumber: (n) => `提示 ${n}`,
  stepConfirmed: (step) => `✓ 第 ${step} 步完成，进入第 ${step + 1} 步。`,
  lessonFinished: (title) => `★ 你学完了「${title}」。继续学下一课，或者在课程地图里另选一课。`,
  stepAlreadyDone: '这一步你以前做过了：再输入一次它的命令，或者点“下一步”。',
  courseIntro: '选一课开始。每一步都会告诉你在左边的终端里输入什么，做到了这里就会打上勾。',
  columnLesson: '课程',
  columnSteps: '完成的步骤',
  columnTime: '用时',
  columnWhere: '上次学到',
  notStarted: '未开始',
  finished: '已学完',
  atStep: (step) => `第 ${step} 步`,
  youAreHere: '你在这里',
  openLesson: (number, title, state) =>
    `${state === 'start' ? '开始' : state === 'continue' ? '继续' : '重学'}第 ${number} 课：${title}`,
  minutes: (ms) => {
    if (ms <= 0) return '–'
    if (ms < 60_000) return '不到 1 分钟'
    const total = Math.round(ms / 60_000)
    return total < 60 ? `${total} 分钟` : `${Math.floor(total / 60)} 小时 ${total % 60} 分钟`
  },

  terminal: {
    greeting: '输入 help 查看所有命令，或者先试试：start raft 5',
    keys: 'Tab 补全命令，上下方向键翻出之前的命令，Ctrl+C 中止正在运行的命令，Shift+Tab 或 F6 离开终端。',
    region: '终端：在这里输入命令',
    lastCommand: '上一条命令',
    failed: '失败：',
  },

  cluster: {
    view: '集群视图',
    noCluster: '还没有集群在运行。在终端里输入 start raft 5 启动一个。',
    noLeader: '现在没有领导者。',
    leader: (node, term) => `领导者：${node}（任期 ${term}）。`,
    skipped: (count) => `为了跟上速度，有 ${count} 个事件没有画出来（仍然计数）。`,
    unknown: '未知',
    nodeLabel: (node, word, term, commit) => `${node}：${word}，任期 ${term}，提交索引 ${commit}`,
    role: (role) => zhRoles[role] ?? role,
    dead: '已宕机',
    paused: (role) => (role === null ? '已暂停' : `已暂停的${role}`),
    starting: '启动中',
    termCommit: (term, commit) => `任期 ${term} · 提交 ${commit}`,
    actions: { kill: '杀掉', restart: '重启', pause: '暂停', resume: '恢复', isolate: '隔离' },
    actionsFor: (node) => `对 ${node} 的操作`,
    legend: '图例',
    message: '消息',
    cutLink: '断开的链路',
    showingPast: (seconds) => `正在回看过去：运行开始后 ${seconds} 秒。`,
    backToLive: '回到实时',
    flightNote: (count) =>
      `有 ${count} 条消息在途，多到看不过来：每条链路只画一个点，旁边标出条数。把鼠标移到点或链路上可以看到消息类型。`,
    dropped: '（已丢弃）',
    inFlight: (count, types) => `${count} 条在途（${types}）`,
    nothingInFlight: '没有在途的消息',
    partition: {
      start: '拖动鼠标划过或圈住一些节点，把它们分到分区的一边。',
      allOneSide: '所有节点都在同一边：留下几个不选，才能画出分区。',
      release: (links, command) => `松开鼠标将切断 ${links} 条链路：${command}（按 Esc 取消）。`,
    },
  },

  inspector: {
    label: '检查器',
    node: '节点',
    nodeToInspect: '要查看的节点',
    down: '宕机',
    live: '实时',
    atMoment: (time) => `运行开始后 ${time}`,
    sections: '检查器的栏目',
    state: '状态',
    log: '日志',
    compareLogs: '对比日志',
    checks: '检查',
    stateOf: (node) => `${node} 的状态`,
    noLog: (node) => `${node} 运行的算法不记日志；它的状态在“状态”页里。`,
    reading: (node) => `正在读取 ${node}…`,
    fact: (key) =>
      (
        ({
          role: '角色',
          term: '任期',
          commitIndex: '提交索引',
          leader: '领导者',
          logLength: '日志长度',
          votedFor: '投票给',
        }) as Record<string, string>
      )[key] ?? key,
    status: (status) => ({ up: '运行中', dead: '已宕机', paused: '已暂停' })[status] ?? status,
    statusLabel: '状态',
    shown: '来源',
    sources: {
      live: '实时状态',
      saved: '持久化保存的状态（节点已宕机）',
      trace: '取自录下的运行记录',
    },
    compareWith: (node) => `拿 ${node} 的日志对比`,
    compareWithLabel: (node) => `与 ${node} 的日志对比的节点`,
    noOther: '没有别的节点可以对比。',
    readingLogs: '正在读取日志…',
    noLogToCompare: '这个算法不记日志，没有可对比的。',
    howLogsCompare: '两份日志的异同',
    sideBySide: (a, b) => `${a} 与 ${b} 的日志并排对照`,
    index: '索引',
    diffKinds: { same: '相同', conflict: '冲突', 'only-a': '仅左边有', 'only-b': '仅右边有' },
    committedCount: (count) => `已提交 ${count} 条`,
    noCommitIndex: '这份日志没有提交索引',
    emptyLog: '日志是空的。',
    logCaption: (node, field, length, _one, committed, hidden) =>
      `${node} 的${field === 'log' ? '日志' : ` ${field} 槽位`}：共 ${length} 条，${committed}${hidden === null ? '' : `（最早的 ${hidden} 条没有显示）`}。`,
    logOf: (node) => `${node} 的日志`,
    termName: (name) =>
      (({ term: '任期', ballot: '提案编号' }) as Record<string, string>)[name] ?? name,
    command: '命令',
    committed: '已提交',
    notYet: '还没有',
    committedNote: '（已提交）',
    emptyState: '状态是空的。',
  },

  checks: {
    run: '运行检查',
    runAgain: '再检查一次',
    checking: '正在检查…',
    checked: (events, algorithm) => `已检查这次 ${algorithm} 运行的 ${events} 个事件。`,
    about: '检查算法的不变式，以及客户端看到的结果是否线性一致。',
    invariants: '不变式',
    noInvariantChecks: '不变式：这个算法没有不变式检查。',
    noneBroken: (checkers) => `不变式：全部成立（${checkers}）。`,
    broken: (count, shown) =>
      `不变式：有 ${count} 条被违反${count > shown ? `（只列出前 ${shown} 条）` : ''}。`,
    seenAt: (time) => `发生在 ${time}`,
    nodes: '节点：',
    inspect: (node) => `查看 ${node}`,
    eventsThatBroke: (rule) => `违反 ${rule} 的事件`,
    linearizability: '线性一致性',
    noOperations: '线性一致性：还没有客户端操作可以检查。',
    verdict: (result, operations, model) =>
      `线性一致性：${zhVerdicts[result] ?? result}（${operations} 个操作，${model} 模型）。`,
    smallestSlice: '无法线性化的最小片段，每个客户端一行',
    sliceOperations: '这个片段里的操作',
    cannotBePlaced: '（无法排入任何顺序）',
    calledAt: (time) => `调用于 ${time}`,
    returnedAt: (time) => `返回于 ${time}`,
    showRunAt: (time) => `显示运行到 ${time} 时的样子`,
  },

  code: {
    loadingCode: '正在加载集群运行的代码…',
    loadingEditor: '正在加载编辑器…',
    editorLabel: '算法代码。按 Ctrl+Enter 应用；按 Ctrl+M 之后，Tab 键可以把焦点移出编辑器。',
    noCluster: (algorithm) =>
      `还没有集群在运行：这是 ${algorithm} 的代码。先启动一个集群（例如 start raft 5）才能应用代码。`,
    runs: (algorithm, variant, custom) =>
      `集群正在运行 ${algorithm}${variant === null ? '' : `（变体 ${variant}）`}${custom ? '，用的是你的代码' : ''}。`,
    applying: '正在应用…',
    editingCopy: (name) => `正在编辑 ${name} 的副本；应用之后才会运行。`,
    backToReference: (algorithm) => `已恢复为 ${algorithm} 的参考实现（还没有应用）。`,
    saved: (name, version) => `已保存为“${name}”（第 ${version} 版）。`,
    loaded: (name, version) => `已载入“${name}”（第 ${version} 版）；应用之后才会运行。`,
    toolbar: '代码',
    algorithm: '算法',
    variantLabel: '参考实现或有缺陷的变体',
    reference: '参考实现',
    broken: (variant) => `${variant}（有缺陷）`,
    editCopy: '编辑副本',
    apply: '应用',
    applyTitle: '用这份代码重启集群里的节点（在编辑器里按 Ctrl+Enter）',
    reset: '恢复为参考实现',
    diff: '与参考实现对比',
    backToEditor: '回到编辑器',
    nameLabel: '保存这份代码所用的名字',
    namePlaceholder: '名字',
    save: '保存',
    loadLabel: '载入保存过的版本',
    nothingSaved: '还没有保存过',
    loadSaved: '载入保存的版本…',
    readOnly: '（只读：可以研读、应用，或者编辑一份副本）',
    crashedHere: (node, message) => `${node} 在这里崩溃了：${message ?? '它的代码出错了'}`,
  },

  metrics: {
    label: '指标',
    loading: '正在加载图表…',
    empty:
      '还没有测量数据。启动一个集群（start raft 5）并给它一些负载（workload 2000 --clients 8），图表每秒更新一次。',
    span: (seconds) => `最近 ${seconds} 秒`,
    messagesPerSecond: '消息/秒',
    clientOpsPerSecond: '客户端成功操作/秒',
    commitsPerSecond: '提交/秒',
    latencyP50: '延迟 p50',
    latencyP99: '延迟 p99',
    elections: '选举次数',
    messagesTitle: '每秒发送的消息数（按类型）',
    messagesDescription: (span, total, byType) =>
      `${span}每秒的消息数：共 ${total} 条；${byType}。`,
    commitsTitle: '每秒提交数',
    operationsTitle: '每秒客户端操作数',
    commitsDescription: (span, completed) => `${span}内完成了 ${completed} 个客户端操作。`,
    latencyTitle: '客户端延迟，从调用到成功（毫秒）',
    latencyDescription: (span, p50, p99) => `${span}的延迟：中位数 ${p50}，第 99 百分位 ${p99}。`,
    time: '时间',
    series: (label) =>
      (
        ({
          dropped: '丢弃',
          other: '其他',
          'entries committed': '提交的日志条目',
          'client ops ok': '客户端操作成功',
          'client ops failed': '客户端操作失败',
        }) as Record<string, string>
      )[label] ?? label,
    noLag: '没有节点报告可比较的数值，所以不显示滞后。',
    furthest: '走得最远的节点',
    theLeader: (node) => `领导者 ${node}`,
    lagCaption: (field, against) => `滞后：每个节点的 ${field} 比${against}落后多少`,
    down: (last) => `宕机（最后是 ${last}）`,
    noValue: '没有数值',
    upToDate: (value) => `已跟上（${value}）`,
    behind: (lag, value) => `落后 ${lag}（${value}）`,
  },

  timeline: {
    label: '时间线',
    resize: '调整时间线的高度（方向键）',
    zoomIn: '放大',
    zoomInTitle: '放大（+）',
    zoomOut: '缩小',
    zoomOutTitle: '缩小（-）',
    wholeRun: '整个运行',
    wholeRunTitle: '显示整个运行过程',
    live: '实时',
    liveTitle: '跟随实时运行（End）；回到当前时刻（Escape）',
    momentShown: '显示的时刻',
    liveValue: '实时',
    intoRun: (time) => `运行开始后 ${time}`,
    showing: (time) => `正在显示 ${time}`,
    events: (count) => `${count} 个事件`,
    sampledOut: (count) => `（${count} 个被抽样略去：色带计入它们，箭头不画）`,
    density: ' · 消息以密度显示',
    plot: '时间线图：左右方向键平移，加号和减号缩放，Home 回到开头，End 跟随实时，Enter 显示中间的时刻，逗号和句号逐步移动，Escape 回到实时',
    clients: '客户端',
  },
}

const dictionary: Record<UiLanguage, Words> = { en, zh }

export function wordsFor(language: UiLanguage): Words {
  return dictionary[language]
}

const storageKey = 'consensus-lab.language'

export function isUiLanguage(word: unknown): word is UiLanguage {
  return typeof word === 'string' && (lessonLanguages as readonly string[]).includes(word)
}

/** The language this browser last showed, or English. */
export function rememberedLanguage(): UiLanguage {
  try {
    const kept = window.localStorage.getItem(storageKey)
    return isUiLanguage(kept) ? kept : 'en'
  } catch {
    return 'en' // storage refused (a locked-down profile): English for this page
  }
}

/** Remembers the language for the next page, and tells the browser (fonts, screen readers). */
export function rememberLanguage(language: UiLanguage): void {
  document.documentElement.lang = language === 'zh' ? 'zh-CN' : 'en'
  try {
    window.localStorage.setItem(storageKey, language)
  } catch {
    // Not remembered: the core still keeps the lessons' language with the progress.
  }
}

/** The page's language now: the lessons' once the core has said, else the one remembered. */
export function useUiLanguage(store: AppStore): UiLanguage {
  const language = useAppState(store, (state) => state.lesson?.language ?? null)
  const shown = language ?? rememberedLanguage()
  useEffect(() => rememberLanguage(shown), [shown])
  return shown
}

/** The words to show, in the page's language. */
export function useWords(store: AppStore): Words {
  return wordsFor(useUiLanguage(store))
}
