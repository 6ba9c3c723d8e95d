// The bank that two-phase and three-phase commit keep consistent: which node
// holds which accounts, the money they start with, and the rule by which a
// participant decides its vote (concurrency control). Both protocols use it.

import type { NodeId } from '../../../shared/node-api'

/** n1 coordinates; every other node is a participant holding two accounts. */
export const coordinatorId = 'n1'
export const accountsPerParticipant = 2
export const initialBalance = 100
/** Account names; nodes past n14 hold none (the alphabet has 26 letters). */
const accountNames = 'abcdefghijklmnopqrstuvwxyz'

export interface Account {
  balance: number
  /** How many transfers have changed this account: what optimistic control checks. */
  version: number
}

export interface Transfer {
  from: string
  to: string
  amount: number
}

/** What a client asks the coordinator for. */
export interface TransferRequest extends Transfer {
  type: 'transfer'
  msg_id?: number
}

/** One participant's part of a transfer: add `delta` to `account` (negative: money out). */
export interface Change {
  account: string
  delta: number
  /** Optimistic control only: the version the coordinator read; the change holds only against it. */
  version?: number
}

export type Decision = 'commit' | 'abort'

/** A participant's yes vote, kept until the decision: what it promised, and who else took part. */
export interface Prepared {
  changes: Change[]
  participants: NodeId[]
}

/**
 * How a participant guards its accounts between its vote and the decision,
 * so that two transfers running at once cannot both spend the same money.
 *
 * - `locking`: two-phase locking (Bernstein, Hadzilacos and Goodman, ch. 3).
 *   A yes vote locks the accounts it changes; the decision unlocks them. Every
 *   lock is taken before any is released: the two phases of the name.
 * - `optimistic`: Kung and Robinson's optimistic control (1981). The
 *   coordinator first reads the accounts' versions without locking anything;
 *   at prepare a participant votes yes only if no version moved since (the
 *   validation), and the decision writes.
 */
export type ConcurrencyControl = 'locking' | 'optimistic'

/** n2 holds a and b, n3 holds c and d, and so on; n1, the coordinator, holds none. */
export function accountsOf(id: NodeId): string[] {
  const match = /^n(\d+)$/.exec(id)
  const number = match === null ? 0 : Number(match[1])
  if (number < 2) return []
  const first = (number - 2) * accountsPerParticipant
  return accountNames.slice(first, first + accountsPerParticipant).split('')
}

/** The node that holds `account`, or undefined when no node of the cluster does. */
export function holderOf(account: string, nodes: readonly NodeId[]): NodeId | undefined {
  return nodes.find((id) => accountsOf(id).includes(account))
}

/** A participant's accounts on its first start: every one holds `initialBalance`. */
export function openAccounts(id: NodeId): Record<string, Account> {
  const accounts: Record<string, Account> = {}
  for (const name of accountsOf(id)) accounts[name] = { balance: initialBalance, version: 0 }
  return accounts
}

/** What is wrong with a transfer request, as an error reply; null when nothing is. */
export function transferProblem(
  request: TransferRequest,
  nodes: readonly NodeId[],
): { code: number; text: string } | null {
  for (const account of [request.from, request.to]) {
    if (typeof account !== 'string' || holderOf(account, nodes) === undefined) {
      return { code: 20, text: `there is no account ${String(account)}` }
    }
  }
  if (request.from === request.to) return { code: 12, text: 'a transfer needs two accounts' }
  if (!Number.isInteger(request.amount) || request.amount <= 0) {
    return { code: 12, text: 'the amount must be a whole number above 0' }
  }
  return null
}

/** Each participant's changes for a transfer: money out at the holder of `from`, in at `to`. */
export function changesFor(transfer: Transfer, nodes: readonly NodeId[]): Record<NodeId, Change[]> {
  const changes: Record<NodeId, Change[]> = {}
  const add = (account: string, delta: number): void => {
    const holder = holderOf(account, nodes) as NodeId
    ;(changes[holder] ??= []).push({ account, delta })
  }
  add(transfer.from, -transfer.amount)
  add(transfer.to, transfer.amount)
  return changes
}

/** The transaction in doubt that holds `account` (has it in its changes), if any. */
export function heldBy(inDoubt: Record<string, Prepared>, account: string): string | undefined {
  return Object.keys(inDoubt).find((tx) => inDoubt[tx].changes.some((c) => c.account === account))
}

/**
 * Why a participant must vote no on `changes`, or null when it may vote yes.
 * `inDoubt` holds the transactions it voted yes on and has no decision for.
 */
export function reasonToRefuse(
  control: ConcurrencyControl,
  accounts: Record<string, Account>,
  inDoubt: Record<string, Prepared>,
  changes: readonly Change[],
): string | null {
  for (const change of changes) {
    const account = accounts[change.account] as Account | undefined
    if (account === undefined) return `${change.account} is not held here`
    // Locking: the account is locked by a transaction in doubt. We do not wait
    // for the lock (no-wait locking): a refusal cannot be part of a cycle of
    // transactions waiting for each other, so deadlock cannot happen.
    // Optimistic: the account is in the write set of a transaction validated
    // and not yet written; validating another against the same version would
    // let both pass and both write (Kung and Robinson's parallel validation).
    const holder = heldBy(inDoubt, change.account)
    if (holder !== undefined) {
      return control === 'locking'
        ? `${change.account} is locked by ${holder}`
        : `${change.account} is being written by ${holder}`
    }
    if (control === 'optimistic' && change.version !== account.version) {
      return `${change.account} changed since it was read (version ${change.version}, now ${account.version})`
    }
    if (account.balance + change.delta < 0) {
      return `${change.account} holds ${account.balance}, not ${-change.delta}`
    }
  }
  return null
}

/**
 * The answer to a balance read at the account's holder. One account is one
 * node's, so a read needs no transaction: it sees committed balances only.
 */
export function readBalance(
  control: ConcurrencyControl,
  accounts: Record<string, Account>,
  inDoubt: Record<string, Prepared>,
  account: string,
): { type: string; [field: string]: unknown } {
  // Two-phase locking: a read takes a shared lock, which the exclusive lock of
  // a transaction in doubt excludes; we do not wait, we say so (code 11). This
  // is where blocking shows. Optimistic control locks nothing.
  if (!Object.hasOwn(accounts, account)) {
    return { type: 'error', code: 20, text: `there is no account ${account}` }
  }
  const holder = heldBy(inDoubt, account)
  if (control === 'locking' && holder !== undefined) {
    return { type: 'error', code: 11, text: `${account} is locked by ${holder}, in doubt` }
  }
  const { balance, version } = accounts[account]
  return { type: 'balance_ok', account, balance, version }
}

/** The decision `commit` writes the promised changes; each bumps the account's version. */
export function applyChanges(accounts: Record<string, Account>, changes: readonly Change[]): void {
  for (const change of changes) {
    const account = accounts[change.account]
    accounts[change.account] = {
      balance: account.balance + change.delta,
      version: account.version + 1,
    }
  }
}

/** `a=90 b=100`: the balances, for the status table. */
export function balancesText(accounts: Record<string, Account>): string {
  return Object.keys(accounts)
    .map((name) => `${name}=${accounts[name].balance}`)
    .join(' ')
}

/** `a-10`, or `a-10@v2` under optimistic control: a change, for the trace. */
export function changeText(change: Change): string {
  const sign = change.delta < 0 ? '' : '+'
  const version = change.version === undefined ? '' : `@v${change.version}`
  return `${change.account}${sign}${change.delta}${version}`
}
