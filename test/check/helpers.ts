// Histories written by hand, for the checker's tests.

import type { HistoryOperation } from '../../src/main/check/linearizability'
import type { Operation } from '../../src/shared/trace'

/** An operation by `client` from `call` to `ret` (Infinity: unknown outcome) that answered `output`. */
export function op(
  client: string,
  call: number,
  ret: number,
  input: Operation,
  output?: unknown,
): HistoryOperation {
  return {
    client,
    call,
    ret,
    input,
    output: ret === Infinity ? undefined : output === undefined ? {} : { value: output },
  }
}
