// The messages of two-phase commit, and the one-line description of each that
// the trace shows: `n1->n2 Prepare t3 a-10`, `n2->n1 Vote t3 yes`.

import type { Body, NodeId } from '../../../shared/node-api'
import { changeText, type Change, type Decision, type TransferRequest } from './bank'

// From clients (answers: transfer_ok, balance_ok, or an error with a code).
export type { TransferRequest }
/** `client` is set when a node passes the read on to the account's holder. */
export type BalanceRequest = { type: 'balance'; account: string; msg_id?: number; client?: NodeId }

// Between nodes. Phase 1 is `prepare` (the request to vote) and `vote`;
// phase 2 is `decision`. Optimistic control reads versions before phase 1.
export type ReadVersions = { type: 'read_versions'; tx: string; accounts: string[] }
export type Versions = { type: 'versions'; tx: string; versions: Record<string, number> }
export type Prepare = { type: 'prepare'; tx: string; changes: Change[]; participants: NodeId[] }
export type Vote = { type: 'vote'; tx: string; vote: 'yes' | 'no'; reason?: string }
export type DecisionMessage = { type: 'decision'; tx: string; decision: Decision }
/** A participant in doubt asks for the decision (the termination protocol). */
export type DecisionRequest = { type: 'decision_request'; tx: string }

export type TwoPcMessage =
  | TransferRequest
  | BalanceRequest
  | ReadVersions
  | Versions
  | Prepare
  | Vote
  | DecisionMessage
  | DecisionRequest

export function describeMessage(body: Body): string {
  const m = body as TwoPcMessage
  switch (m.type) {
    case 'transfer':
      return `Transfer ${m.from}->${m.to} ${m.amount}`
    case 'balance':
      return `Balance ${m.account}`
    case 'read_versions':
      return `ReadVersions ${m.tx} ${m.accounts.join(',')}`
    case 'versions': {
      const read = Object.entries(m.versions).map(([account, v]) => `${account}@v${v}`)
      return `Versions ${m.tx} ${read.join(' ')}`
    }
    case 'prepare':
      return `Prepare ${m.tx} ${m.changes.map(changeText).join(' ')}`
    case 'vote':
      return `Vote ${m.tx} ${m.vote}${m.reason === undefined ? '' : ` (${m.reason})`}`
    case 'decision':
      return `Decision ${m.tx} ${m.decision}`
    case 'decision_request':
      return `DecisionRequest ${m.tx}`
  }
  if (body.type === 'transfer_ok') return `TransferOk ${String(body.tx)}`
  if (body.type === 'balance_ok') return `BalanceOk ${String(body.account)}=${String(body.balance)}`
  if (body.type === 'error') return `Error ${String(body.code)} ${String(body.text)}`
  return body.type
}
