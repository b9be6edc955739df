export type { Detector, DetectResult, ItemProblem } from "./detector.js";
export * from "./domains/index.js";
