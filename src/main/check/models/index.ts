// The objects a history can be checked against, by the names the command
// line and the app use.

import type { HistoryOperation, Model } from '../linearizability'
import { counterModel } from './counter'
import { kvModel, registerModel } from './key-value'
import { lockModel } from './lock'

export const modelNames = ['kv', 'register', 'counter', 'lock'] as const
export type ModelName = (typeof modelNames)[number]

export function isModelName(name: string): name is ModelName {
  return (modelNames as readonly string[]).includes(name)
}

/** The model by name; `initial` is the value keys hold before any write, where the model has one. */
export function modelFor(name: ModelName, initial?: unknown): Model<unknown> {
  switch (name) {
    case 'kv':
      return kvModel(initial ?? null)
    case 'register':
      return registerModel(initial ?? null)
    case 'counter':
      return counterModel(typeof initial === 'number' ? initial : 0)
    case 'lock':
      return lockModel()
  }
}

/** The model that fits the operations a history holds (kv unless they say otherwise). */
export function modelForOperations(operations: readonly HistoryOperation[]): ModelName {
  const kinds = new Set(operations.map((op) => op.input.f))
  if (kinds.has('acquire') || kinds.has('release')) return 'lock'
  if (kinds.has('add')) return 'counter'
  return 'kv'
}

/** A sentence when the history holds an operation the model does not know, or null. */
export function unsupportedOperation(
  model: Model<unknown>,
  operations: readonly HistoryOperation[],
): string | null {
  const stranger = operations.find((op) => !model.operations.includes(op.input.f))
  if (stranger === undefined) return null
  return `the ${model.name} model has no ${stranger.input.f} operation (it knows ${model.operations.join(', ')}); try another --model.`
}
