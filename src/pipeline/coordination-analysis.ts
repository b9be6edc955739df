import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import {
  analyzeCoordination,
  type CoordinationOptions,
  type CoordinationResult,
  SocialCorpus,
} from "../detect/index.js";
import { VigilError } from "../errors.js";
import type { SocialAccount, SocialPost } from "../model/index.js";

/** What a scan hands the coordination analysis: every account and post read, then a call. */
export interface CoordinationAnalysis {
  addAccount(account: SocialAccount): void;
  addPost(post: SocialPost): void;
  /** Runs the analysis over everything added; call once. */
  analyze(options: CoordinationOptions): Promise<CoordinationResult>;
  /** Releases the analysis (stops its thread); safe to call more than once. */
  close(): Promise<void>;
}

/** The analysis on the calling thread: the corpus is built as posts are read. */
export function localAnalysis(seed: number): CoordinationAnalysis {
  const corpus = new SocialCorpus(seed);
  return {
    addAccount: (account) => {
      corpus.addAccount(account);
    },
    addPost: (post) => corpus.addPost(post),
    analyze: async (options) => analyzeCoordination(corpus, options),
    close: async () => {},
  };
}

/** Records sent to the analysis thread in one message. */
const ITEMS_PER_MESSAGE = 2_000;

/** Messages to the analysis thread. */
export type ToAnalysisThread =
  /** Records in the order read; `kinds` has one letter each: `a` account, `p` post. */
  | { type: "items"; records: Array<SocialAccount | SocialPost>; kinds: string }
  | { type: "analyze"; options: Omit<CoordinationOptions, "onProgress">; progress: boolean };

/** Messages from it. */
export type FromAnalysisThread =
  | { type: "progress"; stage: string; done: number; total: number }
  | { type: "result"; result: CoordinationResult }
  | { type: "error"; message: string; stack?: string };

const WORKER_URL = new URL("./coordination-worker.js", import.meta.url);

/**
 * The analysis on a worker thread, so building the corpus (normalising, shingling and
 * MinHashing every text) and analysing it run beside the calling thread's reading,
 * hashing and storing: on a 2-core machine a million-post scan takes about the longer
 * of the two instead of their sum. Records go over in messages of a few thousand
 * (structured clone, about a microsecond a post); the corpus is built in the same order
 * as on one thread, so the result is the same. Undefined where the worker's compiled
 * module is not beside this one (running from TypeScript sources, as the unit tests do):
 * use `localAnalysis` then.
 */
export function workerAnalysis(seed: number): CoordinationAnalysis | undefined {
  if (WORKER_URL.protocol !== "file:" || !existsSync(fileURLToPath(WORKER_URL))) return undefined;
  const worker = new Worker(WORKER_URL, { workerData: { seed } });
  let records: Array<SocialAccount | SocialPost> = [];
  let kinds = "";
  /** Set when the thread failed before a result was asked for. */
  let failure: Error | undefined;
  let settle: { resolve: (r: CoordinationResult) => void; reject: (e: Error) => void } | undefined;
  let onProgress: CoordinationOptions["onProgress"];
  let closed = false;

  const fail = (error: Error) => {
    if (settle !== undefined) settle.reject(error);
    else failure ??= error;
    settle = undefined;
  };
  worker.on("message", (message: FromAnalysisThread) => {
    if (message.type === "progress") onProgress?.(message);
    else if (message.type === "result") {
      settle?.resolve(message.result);
      settle = undefined;
    } else {
      const error = new VigilError(
        "VIGIL_ERR_INTERNAL",
        `coordination analysis failed: ${message.message}`,
      );
      if (message.stack !== undefined) error.stack = message.stack;
      fail(error);
    }
  });
  worker.on("error", (error) => {
    fail(
      new VigilError("VIGIL_ERR_INTERNAL", "coordination analysis thread failed", { cause: error }),
    );
  });
  worker.on("exit", (code) => {
    if (!closed)
      fail(new VigilError("VIGIL_ERR_INTERNAL", `coordination analysis thread exited (${code})`));
  });

  const flush = () => {
    if (records.length === 0) return;
    const message: ToAnalysisThread = { type: "items", records, kinds };
    worker.postMessage(message);
    records = [];
    kinds = "";
  };
  return {
    addAccount: (account) => {
      records.push(account);
      kinds += "a";
      if (records.length >= ITEMS_PER_MESSAGE) flush();
    },
    addPost: (post) => {
      records.push(post);
      kinds += "p";
      if (records.length >= ITEMS_PER_MESSAGE) flush();
    },
    analyze: (options) => {
      if (failure !== undefined) return Promise.reject(failure);
      const { onProgress: progress, ...rest } = options;
      onProgress = progress;
      flush();
      return new Promise<CoordinationResult>((resolve, reject) => {
        settle = { resolve, reject };
        const message: ToAnalysisThread = {
          type: "analyze",
          options: rest,
          progress: progress !== undefined,
        };
        worker.postMessage(message);
      });
    },
    close: async () => {
      if (closed) return;
      closed = true;
      await worker.terminate();
    },
  };
}
