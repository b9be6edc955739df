import type { z } from "zod";
import type { ErrorCode } from "../../errors.js";
import type { Line } from "../line-reader.js";
import type { SourceItem } from "../source-item.js";

/** Longest problem message: enough to say what is wrong, never a dump of hostile input. */
const MAX_MESSAGE = 280;

/** A problem for `item` with `code`; the message is cut to a readable length. */
export function socialProblem(item: string, code: ErrorCode, message: string): SourceItem {
  return { problem: { item, code, message: clip(message) } };
}

/** The first few issues of a failed parse, as `path: message; …`. */
export function describeIssues(error: z.ZodError): string {
  const shown = error.issues.slice(0, 3).map((issue) => {
    const path = issue.path.map(String).join(".");
    const missing = issue.code === "invalid_type" && issue.message.endsWith("received undefined");
    const message = missing ? "missing" : issue.message;
    return path === "" ? message : `${path}: ${message}`;
  });
  const more = error.issues.length - shown.length;
  return clip(`${shown.join("; ")}${more > 0 ? `; and ${more} more` : ""}`);
}

function clip(text: string): string {
  return text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE - 1)}…` : text;
}

/** A line the line reader could not give as text, as a problem. */
export function lineProblem(item: string, line: Extract<Line, { error: string }>): SourceItem {
  return socialProblem(
    item,
    line.error === "too-long" ? "VIGIL_ERR_INPUT_TOO_LONG" : "VIGIL_ERR_INPUT_ENCODING",
    line.message,
  );
}

/** JSON.parse's message without the copy of the input some engines put in it. */
export function jsonMessage(err: unknown): string {
  return (err as Error).message.replace(/, ".*" is not valid JSON$/s, "").slice(0, 200);
}
