// Node names in the terminal's output are links: clicking n3 opens n3's menu
// in the cluster view. This finds them in a line of text: whole words that
// name a node of the running cluster (so `n3` in `n3->n1` is one, and the
// `n3` in `pn33` or an address is not).

import type { NodeId } from '../shared/envelope'

export interface NodeMention {
  node: NodeId
  /** Index of its first character in the line, from 0. */
  start: number
}

/** Nodes a line mentions, at most `mentionsMax` (a table row names a handful). */
export function nodeMentions(
  line: string,
  nodes: ReadonlySet<NodeId>,
  mentionsMax = 100,
): NodeMention[] {
  const mentions: NodeMention[] = []
  for (const match of line.matchAll(/(?<![\w.:/-])[a-z]\w*(?![\w.:/])/gi)) {
    if (!nodes.has(match[0])) continue
    mentions.push({ node: match[0], start: match.index })
    if (mentions.length >= mentionsMax) break
  }
  return mentions
}
