/**
 * Area under the ROC curve: the probability that a random positive scores above a random negative
 * (ties count half), by the rank-sum (Mann-Whitney) formula. Undefined (null) without both classes.
 */
export function auc(scores: readonly number[], labels: readonly number[]): number | null {
  const items = scores.map((score, i) => ({ score, positive: labels[i] === 1 }));
  const positives = items.filter((i) => i.positive).length;
  const negatives = items.length - positives;
  if (positives === 0 || negatives === 0) return null;
  items.sort((a, b) => a.score - b.score);
  let rankSum = 0;
  for (let i = 0; i < items.length;) {
    let j = i;
    while (j < items.length && items[j]?.score === items[i]?.score) j++;
    const averageRank = (i + 1 + j) / 2; // ranks i+1 … j share their mean
    for (let k = i; k < j; k++) if (items[k]?.positive) rankSum += averageRank;
    i = j;
  }
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}
