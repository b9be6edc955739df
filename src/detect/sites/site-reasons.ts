import type { Reason } from "../../model/index.js";

/**
 * Combines independent pieces of evidence by noisy-or (score = 1 − Π(1 − wᵢ)), strongest
 * first, and rewrites each reason's weight as what it added to the score at its turn, so
 * the weights shown add up to the score exactly. Noisy-or keeps the score below 1 however
 * many weak signs there are, and makes a second sign worth less than the first.
 */
export function combineReasons(parts: readonly Reason[]): { score: number; reasons: Reason[] } {
  const sorted = [...parts].filter((p) => p.weight > 0).sort((a, b) => b.weight - a.weight);
  let score = 0;
  const reasons: Reason[] = [];
  for (const p of sorted) {
    const next = 1 - (1 - score) * (1 - Math.min(1, p.weight));
    const added = round(round(next) - round(score));
    score = next;
    reasons.push({
      ...p,
      feature: p.feature.slice(0, 1000),
      explanation: p.explanation.slice(0, 2000),
      weight: added,
    });
  }
  for (const p of parts) if (p.weight === 0) reasons.push(p);
  return { score: round(score), reasons };
}

export function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
