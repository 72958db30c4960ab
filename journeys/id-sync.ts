/**
 * ID Sync (SPEC §3): which identifier values a send step delivers. Pure, unit-tested.
 */
export interface KnownIdentifier {
  type: string;
  value: string;
  /** ISO time or epoch ms: when the profile first had this value. */
  firstSeen: string | number | Date;
}

export interface IdSyncRule {
  identifier: string;
  strategy: 'all' | 'last' | 'first';
}

function seenAt(identifier: KnownIdentifier): number {
  return new Date(identifier.firstSeen).getTime();
}

/** Without rules every value of every identifier goes out; with rules, only what each rule picks. */
export function selectIdentifiers(
  known: readonly KnownIdentifier[],
  rules: readonly IdSyncRule[] | undefined,
): Array<{ type: string; value: string }> {
  const ordered = [...known].sort((a, b) => seenAt(a) - seenAt(b) || a.value.localeCompare(b.value));
  const pick = (list: KnownIdentifier[]) => list.map(({ type, value }) => ({ type, value }));
  if (!rules || rules.length === 0) return pick(ordered);
  return rules.flatMap((rule) => {
    const values = ordered.filter((i) => i.type === rule.identifier);
    if (rule.strategy === 'all') return pick(values);
    const chosen = rule.strategy === 'first' ? values[0] : values[values.length - 1];
    return chosen ? pick([chosen]) : [];
  });
}
