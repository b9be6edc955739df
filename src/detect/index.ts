export * from "./coordination/index.js";
export type { Detector, DetectResult, ItemProblem } from "./detector.js";
export * from "./domains/index.js";
export * from "./email/index.js";
export * from "./personas/index.js";
export * from "./sites/index.js";
