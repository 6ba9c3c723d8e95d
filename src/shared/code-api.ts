// The code editor's requests (entries of requestSchemas in api.ts): read an
// algorithm's module and the files its types need, check a learner's module
// (compile errors as places), apply it to the running cluster, and keep named
// versions in the store.

import { z } from 'zod'

/** The longest module a learner can send: the reference modules are under 25,000 characters. */
export const codeCharsMax = 200_000
/** Algorithm, variant and saved-code names. */
export const codeNameCharsMax = 200
/** Problems one check reports at most (esbuild stops far below this). */
export const problemsMax = 100
/** Files one module's types may need (the node API and the reference modules it imports). */
export const librariesMax = 50
/** Saved names listed at most. */
export const savedCodeListedMax = 1_000

const sentence = z.string().max(4_096)
const algorithmName = z.string().min(1).max(codeNameCharsMax)
/** A variant name; null is the reference module. */
const variantName = z.string().min(1).max(codeNameCharsMax).nullable()
const source = z.string().max(codeCharsMax)
/** The name a learner's copy compiles under, e.g. `raft.ts`. */
const fileName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}\.(ts|js)$/, 'a file name such as raft.ts')
/** A saved version's name: what a learner would type in a terminal. */
const savedName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$/, 'a name of letters, digits, spaces, . _ or -')

/** One compile problem at its place (line and column from 1). */
export const codeProblemSchema = z.strictObject({
  line: z.int().positive(),
  column: z.int().positive(),
  length: z.int().positive(),
  text: sentence,
})

export type CodeProblem = z.infer<typeof codeProblemSchema>

export const codeSourceSchema = {
  /** No algorithm: the running cluster's (raft when none runs). No variant: the one running. */
  args: z.strictObject({
    algorithm: algorithmName.optional(),
    variant: variantName.optional(),
  }),
  result: z.strictObject({
    algorithm: algorithmName,
    variant: variantName,
    fileName,
    source,
    /** What the module imports, by the path it is imported under (`consensus-lab/index.ts`, ...). */
    libraries: z
      .array(z.strictObject({ path: z.string().max(300), text: source }))
      .max(librariesMax),
    /** The algorithm's deliberately broken variants, each with what is broken. */
    variants: z
      .array(z.strictObject({ name: algorithmName, description: sentence }))
      .max(librariesMax),
    /** What the cluster runs now, if one runs; custom: code given as text. */
    running: z
      .strictObject({ algorithm: algorithmName, variant: variantName, custom: z.boolean() })
      .nullable(),
  }),
}

export const codeCheckSchema = {
  args: z.strictObject({ source, fileName }),
  /** No problems: it compiles. */
  result: z.strictObject({ problems: z.array(codeProblemSchema).max(problemsMax) }),
}

export const codeApplySchema = {
  /** With source: the learner's module; without: the registry's variant (or reference). */
  args: z.strictObject({
    algorithm: algorithmName,
    variant: variantName,
    source: source.optional(),
    fileName: fileName.optional(),
  }),
  result: z.strictObject({
    /** True when the nodes restarted on the code; false when it did not compile (see problems). */
    applied: z.boolean(),
    /** What happened, one sentence a line: which nodes kept their saved fields, which did not. */
    lines: z.array(sentence).max(100),
    problems: z.array(codeProblemSchema).max(problemsMax),
  }),
}

export const codeSaveSchema = {
  args: z.strictObject({ algorithm: algorithmName, name: savedName, source }),
  result: z.strictObject({ name: savedName, version: z.int().positive() }),
}

export const codeSavedSchema = {
  args: z.strictObject({ algorithm: algorithmName }),
  result: z
    .array(
      z.strictObject({
        name: savedName,
        versions: z.int().positive(),
        updatedAt: z.number(),
      }),
    )
    .max(savedCodeListedMax),
}

export const codeLoadSchema = {
  args: z.strictObject({ algorithm: algorithmName, name: savedName }),
  result: z.strictObject({ name: savedName, version: z.int().positive(), source }),
}
